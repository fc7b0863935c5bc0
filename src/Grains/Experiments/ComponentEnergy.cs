using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Experiments;

/// <summary>
/// A component's energy over a time window, from the cumulative counters a runner sent
/// (<see cref="ComponentSample"/>): the counter interpolated at both ends, subtracted.
/// </summary>
public static class ComponentEnergy
{
    /// <summary>
    /// How far an end may lie outside the samples and still be extrapolated from the two nearest:
    /// the recorder samples every second, so its first sample comes up to a second after the
    /// command started and its last up to a second before a phase's end was stamped; 1.5 s
    /// leaves room for the report's own latency, not for a missing run.
    /// </summary>
    public const double EdgeToleranceSeconds = 1.5;

    /// <summary>
    /// The widest gap between two samples an end may be interpolated across: wider means the
    /// runner lost readings there, and a straight line over it would be a guess.
    /// </summary>
    public const double MaxGapSeconds = 5;

    /// <summary>
    /// Joules between <paramref name="from"/> and <paramref name="to"/> from one component's
    /// samples (ordered by time here when they are not); null when the samples do not cover the window (fewer than two, an
    /// end more than <see cref="EdgeToleranceSeconds"/> outside them, or between two samples more
    /// than <see cref="MaxGapSeconds"/> apart) or the counter went backwards: a window not
    /// measured is reported missing, never as 0 J.
    /// </summary>
    public static double? Between(IReadOnlyList<ComponentSample> samples, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (to < from)
        {
            throw new ArgumentException($"window ends ({to:O}) before it starts ({from:O})", nameof(to));
        }

        for (var k = 1; k < samples.Count; k++)
        {
            if (samples[k].At < samples[k - 1].At)
            {
                // Reports can arrive out of order; the counter itself is what orders them.
                samples = [.. samples.OrderBy(s => s.At)];
                break;
            }
        }

        if (samples.Count < 2)
        {
            return null;
        }

        var start = CounterAt(samples, from);
        var end = CounterAt(samples, to);
        if (start is null || end is null || end < start)
        {
            return null;
        }

        return end - start;
    }

    private static double? CounterAt(IReadOnlyList<ComponentSample> samples, DateTimeOffset at)
    {
        var first = samples[0];
        var last = samples[^1];
        if ((first.At - at).TotalSeconds > EdgeToleranceSeconds || (at - last.At).TotalSeconds > EdgeToleranceSeconds)
        {
            return null;
        }

        // The pair around the time, or the two nearest when it lies just outside the samples.
        var after = 1;
        while (after < samples.Count - 1 && samples[after].At < at)
        {
            after++;
        }

        var a = samples[after - 1];
        var b = samples[after];
        var gap = (b.At - a.At).TotalSeconds;
        if (gap > MaxGapSeconds)
        {
            return null;
        }

        if (gap <= 0)
        {
            return b.Joules;
        }

        return a.Joules + ((b.Joules - a.Joules) * (at - a.At).TotalSeconds / gap);
    }
}
