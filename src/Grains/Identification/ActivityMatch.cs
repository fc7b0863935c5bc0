using System.Globalization;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Identification;

/// <summary>
/// Checks, during any experiment, that the machine's assigned socket still follows its runner's
/// activity: when the runner's CPU use clearly went up and down but the socket's power did not,
/// the machine was probably moved or a cable swapped, and every joule reported for it is someone
/// else's. Per-second means of both series are correlated, as <see cref="SocketIdentifier"/>
/// correlates slots.
/// </summary>
public static class ActivityMatch
{
    /// <summary>
    /// Fewer common seconds than this cannot tell a match from chance: an unrelated socket's
    /// correlation with the activity spreads about ±1/√(seconds − 1), ±0.23 at 20 s, so
    /// <see cref="MinCorrelation"/> is 3 standard deviations away.
    /// </summary>
    public const int MinSeconds = 20;

    /// <summary>
    /// The runner's per-second activity must span at least this many cores (highest second minus
    /// lowest) to judge: a flat activity (an idle wait, a steady job) predicts no change of power.
    /// Half a core moves a server's power by several watts, well above the box's noise.
    /// </summary>
    public const double MinActivityRangeCores = 0.5;

    /// <summary>
    /// A socket following the activity correlates at 0.95 or more even with 1 s buckets blurring
    /// the load's edges by the signal's lag; one that does not stays near 0, but another machine
    /// busy at chance-similar times reached 0.46 over 33 s in simulation, hence 0.7 and not 0.5.
    /// Other processes on the machine (outside the runner's tree) lower a true match: the warning
    /// says "probably", never blocks.
    /// </summary>
    public const double MinCorrelation = 0.7;

    /// <summary>Null when the socket's power follows the activity, or when the activity did not vary enough to tell; else a warning for the user.</summary>
    /// <param name="activity">The runner's activity samples (cluster time).</param>
    /// <param name="socketPower">The assigned socket's power (or the sum of a two-supply machine's sockets) over the same time.</param>
    public static string? Check(IReadOnlyList<ActivitySample> activity, IReadOnlyList<(DateTimeOffset At, double Watts)> socketPower)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(socketPower);
        if (activity.Count == 0 || socketPower.Count == 0)
        {
            return null;
        }

        var origin = activity.Min(a => a.At);
        var cores = PerSecond(activity.Select(a => (a.At, a.Cores)), origin);
        var watts = PerSecond(socketPower, origin);
        var seconds = cores.Keys.Where(watts.ContainsKey).Order().ToList();
        if (seconds.Count < MinSeconds)
        {
            return null;
        }

        var x = seconds.Select(s => cores[s]).ToList();
        var y = seconds.Select(s => watts[s]).ToList();
        var (low, high) = (x.Min(), x.Max());
        if (high - low < MinActivityRangeCores)
        {
            return null;
        }

        var r = Pearson.Correlation(x, y);
        return r >= MinCorrelation
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"the socket's power did not follow the runner's activity (r = {r:0.00} over {seconds.Count} s while the runner used {low:0.0} to {high:0.0} cores; power {y.Min():0} to {y.Max():0} W): was the machine moved or a power cable swapped? `fleet sockets identify` finds its sockets again");
    }

    /// <summary>Mean per whole second since <paramref name="origin"/>.</summary>
    private static Dictionary<long, double> PerSecond(IEnumerable<(DateTimeOffset At, double Value)> points, DateTimeOffset origin) =>
        points
            .Where(p => double.IsFinite(p.Value) && p.At >= origin)
            .GroupBy(p => (long)Math.Floor((p.At - origin).TotalSeconds))
            .ToDictionary(g => g.Key, g => g.Average(p => p.Value));
}
