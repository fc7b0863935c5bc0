namespace Fleet.LoadGen;

/// <summary>
/// Time from a frame's own time to the commit that stored it, per frame, in 1 ms buckets up to
/// a minute: percentiles without keeping millions of samples.
/// </summary>
internal sealed class LatencyRecorder
{
    private const int Buckets = 60_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private readonly Lock _gate = new();

    public long Frames { get; private set; }

    /// <summary>Records <paramref name="frameTimesUnixMicroseconds"/> committed at <paramref name="committedUnixMicroseconds"/>.</summary>
    public void Record(ReadOnlySpan<long> frameTimesUnixMicroseconds, long committedUnixMicroseconds)
    {
        lock (_gate)
        {
            foreach (var time in frameTimesUnixMicroseconds)
            {
                var milliseconds = Math.Clamp((committedUnixMicroseconds - time) / 1000, 0, Buckets);
                _counts[milliseconds]++;
            }

            Frames += frameTimesUnixMicroseconds.Length;
        }
    }

    /// <summary>The latency in seconds below which <paramref name="fraction"/> of the frames were committed; null without frames.</summary>
    public double? Percentile(double fraction)
    {
        lock (_gate)
        {
            if (Frames == 0)
            {
                return null;
            }

            var target = (long)Math.Ceiling(fraction * Frames);
            long seen = 0;
            for (var k = 0; k <= Buckets; k++)
            {
                seen += _counts[k];
                if (seen >= target)
                {
                    return k / 1000.0;
                }
            }

            return Buckets / 1000.0;
        }
    }
}
