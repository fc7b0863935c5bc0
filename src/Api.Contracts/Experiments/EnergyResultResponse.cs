using System.ComponentModel;

namespace Fleet.Api.Contracts.Experiments;

/// <summary>
/// One machine's energy over one phase (<c>Phase</c> "" = the whole experiment, "(unmarked)" =
/// from the start to the first mark): exact Σ P × 10 ms over the frames present, how many of the
/// expected 10 ms frames were there, and the time they cover. The same rules as GET /api/energy.
/// </summary>
/// <param name="MeanWatts">Interpolated joules over the covered seconds (0 without frames).</param>
/// <param name="FramesInterpolated">Frames missing between the first and the last frame present, filled at the mean power.</param>
/// <param name="Coverage">Frames present over frames expected in the phase (1 = nothing missing).</param>
public sealed record EnergyResultResponse(
    string Machine,
    [property: Description("\"\" for the whole experiment, \"(unmarked)\" for the time before the first mark, else the mark's name. The phase rows add up to the whole.")] string Phase,
    DateTimeOffset From,
    DateTimeOffset To,
    [property: Description("Σ P × 10 ms over the valid frames of the phase: exact, nothing filled in.")] double Joules,
    [property: Description("Mean power over the time the frames cover (interpolated_joules / covered_seconds); 0 without frames.")] double MeanWatts,
    double PeakWatts,
    long Frames,
    long FramesExpected,
    [property: Description("Frames missing between a socket's first and last frame (gaps with frames on both sides), filled in interpolated_joules.")] long FramesInterpolated,
    [property: Description("Frames present over frames expected over the whole phase; relative to the phase, not to the covered time.")] double Coverage,
    [property: Description("joules plus the gaps between frames at the mean power; nothing before the first or after the last frame.")] double InterpolatedJoules,
    [property: Description("The first frame present in the phase; null without frames.")] DateTimeOffset? CoveredFrom = null,
    [property: Description("The end of the last frame present in the phase; null without frames.")] DateTimeOffset? CoveredTo = null,
    [property: Description("Seconds the frames cover, joined over the machine's sockets.")] double CoveredSeconds = 0)
{
    /// <summary>Length of the phase; serialised too, so scripts need not subtract times.</summary>
    public double DurationSeconds => (To - From).TotalSeconds;
}
