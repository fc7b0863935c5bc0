using Fleet.OmegaWatt.Protocol;

namespace Fleet.Storage.Energy;

/// <summary>
/// One socket's share of a window: the socket a machine was on (or the socket asked for) over
/// [<paramref name="From"/>, <paramref name="To"/>), exactly Σ P × 10 ms over its valid frames
/// there, and the time its frames cover. The rules for what is filled in and what a mean is
/// live here and in <see cref="WindowEnergy"/>, nowhere else.
/// </summary>
/// <param name="Joules">Σ P × 10 ms over the valid frames in [From, To).</param>
/// <param name="Frames">Valid frames in [From, To).</param>
/// <param name="PeakWatts">Highest frame power, null without frames.</param>
/// <param name="FirstFrameAt">Time of the first valid frame in the window, null without frames.</param>
/// <param name="LastFrameAt">Time of the last valid frame in the window, null without frames.</param>
public sealed record SocketEnergy(
    string BoxId,
    int Socket,
    DateTimeOffset From,
    DateTimeOffset To,
    double Joules,
    long Frames,
    double? PeakWatts,
    DateTimeOffset? FirstFrameAt,
    DateTimeOffset? LastFrameAt)
{
    /// <summary>
    /// True when retention had dropped the raw frames at the window's start: the rollups answered
    /// alone, counting the seconds that start in the window whole (exact to a second at that edge).
    /// </summary>
    public bool FromRollupsOnly { get; init; }

    /// <summary>Frames a box sends over [From, To): one per 10 ms, rounded to whole frames.</summary>
    public long FramesExpected => FrameCount(From, To);

    /// <summary>Where the frames start: the first valid frame; null without frames.</summary>
    public DateTimeOffset? CoveredFrom => FirstFrameAt;

    /// <summary>Where the frames end: the end of the last valid frame's 10 ms (never past <see cref="To"/>); null without frames.</summary>
    public DateTimeOffset? CoveredTo => LastFrameAt is { } last ? Min(last + FrameLayout.FramePeriod, To) : null;

    /// <summary>Seconds from the first frame to the end of the last: the only time this socket's energy speaks for.</summary>
    public double CoveredSeconds => CoveredFrom is { } from && CoveredTo is { } to && to > from ? (to - from).TotalSeconds : 0;

    /// <summary>
    /// Frames missing between the first and the last frame present: gaps with a frame on both
    /// sides. Time before the first frame or after the last is not counted: nothing is extrapolated.
    /// </summary>
    public long FramesInterpolated => CoveredFrom is { } from && CoveredTo is { } to ? Math.Max(0, FrameCount(from, to) - Frames) : 0;

    /// <summary>The joules with <see cref="FramesInterpolated"/> filled in at the mean power of the frames present.</summary>
    public double InterpolatedJoules => Frames == 0 ? 0 : Joules + (FramesInterpolated * Joules / Frames);

    /// <summary>One frame per period of [from, to), rounded to whole frames.</summary>
    public static long FrameCount(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? 0 : (long)Math.Round((to - from).TotalSeconds * FrameLayout.FramesPerSecond);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
