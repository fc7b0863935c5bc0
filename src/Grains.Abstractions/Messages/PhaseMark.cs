namespace Fleet.Grains.Abstractions.Messages;

/// <summary>A named phase starts at <paramref name="At"/> (UTC) and lasts until the next mark or the end.</summary>
[GenerateSerializer, Immutable, Alias("fleet.PhaseMark")]
public sealed record PhaseMark([property: Id(0)] string Name, [property: Id(1)] DateTimeOffset At);
