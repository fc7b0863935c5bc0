namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// One machine's energy over one phase ("" = the whole experiment, "(unmarked)" = from the start
/// to the first mark): exact Σ P × 10 ms over the frames present, how many of the expected 10 ms
/// frames were there, and the time they cover. What each figure means is defined once, in
/// Storage's <c>WindowEnergy</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.EnergyResult")]
public sealed record EnergyResult(
    [property: Id(0)] string Machine,
    [property: Id(1)] string Phase,
    [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset To,
    [property: Id(4)] double Joules,
    [property: Id(5)] double MeanWatts,
    [property: Id(6)] double PeakWatts,
    [property: Id(7)] long Frames,
    [property: Id(8)] long FramesExpected,
    [property: Id(9)] long FramesInterpolated,
    [property: Id(10)] double Coverage,
    [property: Id(11)] double InterpolatedJoules,
    [property: Id(12)] DateTimeOffset? CoveredFrom = null,
    [property: Id(13)] DateTimeOffset? CoveredTo = null,
    [property: Id(14)] double CoveredSeconds = 0)
{
    public double DurationSeconds => (To - From).TotalSeconds;
}
