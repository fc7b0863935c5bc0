namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// One component's energy ("rapl", "gpu") on one machine over one phase (the same phases as
/// <see cref="EnergyResult"/>), with the source of the number; <paramref name="Joules"/> is null
/// when the component was not measured, and <paramref name="Missing"/> says why.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ComponentEnergyResult")]
public sealed record ComponentEnergyResult(
    [property: Id(0)] string Machine,
    [property: Id(1)] string Phase,
    [property: Id(2)] string Component,
    [property: Id(3)] string Source,
    [property: Id(4)] double? Joules,
    [property: Id(5)] string? Missing = null);
