namespace Fleet.Grains.Abstractions.Messages;

/// <summary>A box as the registry knows it: plug count, the agent host that feeds it, when it was last heard from.</summary>
[GenerateSerializer, Immutable, Alias("fleet.BoxInfo")]
public sealed record BoxInfo(
    [property: Id(0)] string BoxId,
    [property: Id(1)] int Plugs,
    [property: Id(2)] string? AgentHost,
    [property: Id(3)] DateTimeOffset LastSeen);
