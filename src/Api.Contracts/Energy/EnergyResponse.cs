using System.ComponentModel;

namespace Fleet.Api.Contracts.Energy;

/// <summary>
/// Energy over a window (GET /api/energy): exact joules of the frames present, how complete they
/// are relative to the window, and the time they actually cover. Mean power is over the covered
/// time; only gaps with frames on both sides are filled; nothing is extrapolated.
/// </summary>
/// <param name="Joules">Σ P × 10 ms over the valid frames in [From, To).</param>
/// <param name="Coverage">Frames present over frames expected in the whole window (1 = nothing missing).</param>
/// <param name="MeanWatts">Interpolated joules over the covered seconds; null without frames.</param>
/// <param name="PeakWatts">Highest frame power of any socket; null without frames.</param>
/// <param name="InterpolatedJoules">The joules with gaps between frames filled at the mean power of the frames present.</param>
/// <param name="CoveredFrom">The first frame present; null without frames.</param>
/// <param name="CoveredTo">The end of the last frame present; null without frames.</param>
/// <param name="CoveredSeconds">Time the frames cover: from each socket's first frame to the end of its last, joined over the sockets.</param>
/// <param name="FramesInterpolated">Frames missing between a socket's first and last frame, filled in <c>interpolated_joules</c>.</param>
/// <param name="Sockets">Each socket that measured the machine (or the socket asked for), with its part of the window.</param>
/// <param name="FromRollupsOnly">True when retention had dropped the raw frames at the window's start and the rollups answered alone.</param>
public sealed record EnergyResponse(
    [property: Description("Σ P × 10 ms over the valid frames in [from, to): exact, nothing filled in.")] double Joules,
    [property: Description("Frames present over frames expected in the whole window (for a machine: every socket over the part of the window it measured it); 1 = nothing missing. Relative to the window, not to the covered time.")] double Coverage,
    [property: Description("Valid frames present.")] long Frames,
    [property: Description("Frames the window should hold: one per 10 ms per socket.")] long FramesExpected,
    [property: Description("Mean power over the time the frames cover (interpolated_joules / covered_seconds); for two power supplies their sum. Null without frames.")] double? MeanWatts,
    [property: Description("Highest frame power of any socket; null without frames.")] double? PeakWatts,
    [property: Description("joules plus the frames missing between a socket's first and last frame, at that socket's mean power. Nothing before the first frame or after the last is filled (no extrapolation).")] double InterpolatedJoules,
    DateTimeOffset From,
    DateTimeOffset To,
    [property: Description("The first frame present in the window; null without frames.")] DateTimeOffset? CoveredFrom = null,
    [property: Description("The end (frame time + 10 ms) of the last frame present; null without frames.")] DateTimeOffset? CoveredTo = null,
    [property: Description("Seconds the frames cover: from each socket's first frame to the end of its last, joined over the sockets (two supplies at once count once).")] double CoveredSeconds = 0,
    [property: Description("Frames missing between a socket's first and last frame (gaps with frames on both sides), filled in interpolated_joules.")] long FramesInterpolated = 0,
    [property: Description("Per socket that measured the machine (or the socket asked for): its part of the window and its own figures.")] IReadOnlyList<SocketEnergyResponse>? Sockets = null,
    [property: Description("True when raw retention (Fleet__RawRetentionDays) had dropped the 10 ms frames at the window's start: the rollups answered alone, counting the seconds that start in the window whole, so that edge is exact to a second only.")] bool FromRollupsOnly = false);
