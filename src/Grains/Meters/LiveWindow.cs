namespace Fleet.Grains.Meters;

/// <summary>
/// The last minutes of a box in memory, one entry per UTC second (frames and per-socket power
/// sums), so live views never touch the database. Bounded by <see cref="MaxSeconds"/>.
/// </summary>
internal sealed class LiveWindow
{
    public const int MaxSeconds = 600;

    private readonly SortedDictionary<long, (int Frames, int[] Valid, double[] Sums)> _seconds = [];

    public void Add(long[] timesUnixMicroseconds, bool[] valid, float[] powersWatts, int plugs)
    {
        // Frames of a second come together (times increase): one look-up per second, not per frame.
        var k = 0;
        while (k < timesUnixMicroseconds.Length)
        {
            var second = Second(timesUnixMicroseconds[k]);
            var end = k + 1;
            while (end < timesUnixMicroseconds.Length && Second(timesUnixMicroseconds[end]) == second)
            {
                end++;
            }

            if (!_seconds.TryGetValue(second, out var entry) || entry.Sums.Length != plugs)
            {
                entry = (0, new int[plugs], new double[plugs]);
            }

            entry.Frames += end - k;
            for (; k < end; k++)
            {
                if (valid[k])
                {
                    var powers = powersWatts.AsSpan(k * plugs, plugs);
                    for (var plug = 0; plug < plugs; plug++)
                    {
                        entry.Valid[plug]++;
                        entry.Sums[plug] += powers[plug];
                    }
                }
            }

            _seconds[second] = entry;
        }

        // Keep only the newest seconds: the cap holds whatever the batch times are.
        while (_seconds.Count > 0 && (_seconds.Count > MaxSeconds || _seconds.Keys.First() <= _seconds.Keys.Last() - MaxSeconds))
        {
            _seconds.Remove(_seconds.Keys.First());
        }
    }

    private static long Second(long unixMicroseconds) => Math.DivRem(unixMicroseconds, 1_000_000L, out var rest) - (rest < 0 ? 1 : 0);

    public List<(long Second, int Frames, float[] MeanWatts)> Recent(int seconds)
    {
        if (_seconds.Count == 0)
        {
            return [];
        }

        var newest = _seconds.Keys.Last();
        return [.. _seconds
            .Where(e => e.Key > newest - Math.Clamp(seconds, 1, MaxSeconds))
            .Select(e => (e.Key, e.Value.Frames, e.Value.Sums.Select((sum, plug) => e.Value.Valid[plug] == 0 ? float.NaN : (float)(sum / e.Value.Valid[plug])).ToArray()))];
    }
}
