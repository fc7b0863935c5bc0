using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Experiments;

/// <summary>Energy of a component over a window, from its cumulative counter samples.</summary>
public static class ComponentEnergy
{
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

        return samples.Count == 1 && samples[0].At == at ? samples[0].Joules : null;
    }
}
