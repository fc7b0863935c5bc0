namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// How well one socket's power followed a load pattern: the Pearson correlation of its per-slot
/// mean power with the on/off slots, and its mean power over the on and the off slots.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.SocketCorrelation")]
public sealed record SocketCorrelation(
    [property: Id(0)] SocketRef Socket,
    [property: Id(1)] double Correlation,
    [property: Id(2)] double OnWatts,
    [property: Id(3)] double OffWatts);
