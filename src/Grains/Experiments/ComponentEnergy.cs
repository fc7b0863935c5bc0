using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Experiments;

/// <summary>Energy of a component over a window, from its cumulative counter samples.</summary>
public static class ComponentEnergy
{
    /// <summary>
    /// How far past its first or last sample a counter is extrapolated: the runner samples every
    /// second and at the start, marks and end, so a phase edge is never further from a sample,
    /// and storage rounds times to the microsecond.
    /// </summary>
    private static readonly TimeSpan Reach = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The counter interpolated linearly at both ends of [from, to], subtracted; null when the
    /// samples do not reach both ends (a phase not measured is missing, never 0 J).
    /// </summary>
    public static double? Between(IReadOnlyList<ComponentSample> samples, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var start = At(samples, from);
        var end = At(samples, to);
        return start is { } a && end is { } b ? b - a : null;
    }

    private static double? At(IReadOnlyList<ComponentSample> samples, DateTimeOffset at)
    {
        for (var k = 1; k < samples.Count; k++)
        {
            if (samples[k].At >= at && samples[k - 1].At <= at)
            {
                var span = (samples[k].At - samples[k - 1].At).TotalSeconds;
                var share = span <= 0 ? 1 : (at - samples[k - 1].At).TotalSeconds / span;
                return samples[k - 1].Joules + (share * (samples[k].Joules - samples[k - 1].Joules));
            }
        }

        if (samples.Count == 0)
        {
            return null;
        }

        // Just outside the samples: the nearest segment's slope carries on for at most Reach.
        var (a, b) = at < samples[0].At ? (0, 1) : (samples.Count - 2, samples.Count - 1);
        var nearest = at < samples[0].At ? samples[0] : samples[^1];
        if ((at - nearest.At).Duration() > Reach)
        {
            return null;
        }

        if (samples.Count == 1)
        {
            return nearest.Joules;
        }

        var seconds = (samples[b].At - samples[a].At).TotalSeconds;
        var watts = seconds <= 0 ? 0 : (samples[b].Joules - samples[a].Joules) / seconds;
        return nearest.Joules + (watts * (at - nearest.At).TotalSeconds);
    }
}
