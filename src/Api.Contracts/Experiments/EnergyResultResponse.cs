namespace Fleet.Api.Contracts.Experiments;

/// <summary>
/// One machine's energy over one phase (<c>Phase</c> "" = the whole experiment): exact Σ P × 10 ms
/// over the frames present, and how many of the expected 10 ms frames were there.
/// </summary>
/// <param name="MeanWatts">Interpolated joules over the phase's seconds (missing frames at the mean of those present).</param>
/// <param name="FramesInterpolated">Expected frames that were missing and filled at the mean power.</param>
/// <param name="Coverage">Frames present over frames expected (1 = nothing missing).</param>
public sealed record EnergyResultResponse(
    string Machine,
    string Phase,
    DateTimeOffset From,
    DateTimeOffset To,
    double Joules,
    double MeanWatts,
    double PeakWatts,
    long Frames,
    long FramesExpected,
    long FramesInterpolated,
    double Coverage,
    double InterpolatedJoules)
{
    /// <summary>Length of the phase; serialised too, so scripts need not subtract times.</summary>
    public double DurationSeconds => (To - From).TotalSeconds;
}
