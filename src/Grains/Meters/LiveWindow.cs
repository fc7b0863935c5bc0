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
        for (var k = 0; k < timesUnixMicroseconds.Length; k++)
        {
            var second = Math.DivRem(timesUnixMicroseconds[k], 1_000_000L, out var rest) - (rest < 0 ? 1 : 0);
            if (!_seconds.TryGetValue(second, out var entry) || entry.Sums.Length != plugs)
            {
                entry = (0, new int[plugs], new double[plugs]);
            }

            entry.Frames++;
            if (valid[k])
            {
                for (var plug = 0; plug < plugs; plug++)
                {
                    entry.Valid[plug]++;
                    entry.Sums[plug] += powersWatts[(k * plugs) + plug];
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
