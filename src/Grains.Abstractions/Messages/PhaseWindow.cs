namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// A phase as the experiment counts its energy: from its mark to the next mark or the end;
/// <paramref name="To"/> is null for the last phase while the experiment runs.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.PhaseWindow")]
public sealed record PhaseWindow([property: Id(0)] string Name, [property: Id(1)] DateTimeOffset From, [property: Id(2)] DateTimeOffset? To);
