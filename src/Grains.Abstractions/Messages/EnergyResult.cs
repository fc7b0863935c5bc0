namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// One machine's energy over one phase ("" = the whole experiment): exact Σ P × 10 ms over the
/// frames present, and how many of the expected 10 ms frames were there.
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
    [property: Id(11)] double InterpolatedJoules)
{
    public double DurationSeconds => (To - From).TotalSeconds;
}
