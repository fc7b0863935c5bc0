namespace Fleet.Api.Contracts.Energy;

/// <summary>Energy over a window (GET /api/energy): exact joules of the frames present, and how complete they are.</summary>
/// <param name="Joules">Σ P × 10 ms over the valid frames in [From, To).</param>
/// <param name="Coverage">Frames present over frames expected (1 = nothing missing).</param>
/// <param name="MeanWatts">Interpolated joules over the window's seconds; null without frames.</param>
/// <param name="PeakWatts">Highest frame power; null without frames.</param>
/// <param name="InterpolatedJoules">The joules with missing frames filled at the mean power of those present.</param>
public sealed record EnergyResponse(
    double Joules,
    double Coverage,
    long Frames,
    long FramesExpected,
    double? MeanWatts,
    double? PeakWatts,
    double InterpolatedJoules,
    DateTimeOffset From,
    DateTimeOffset To);
