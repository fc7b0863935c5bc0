namespace Fleet.Grains.Abstractions.Messages;

/// <summary>How the agent feeding a box is doing, reported every few seconds so Prometheus sees agents through the silos.</summary>
[GenerateSerializer, Immutable, Alias("fleet.AgentHealth")]
public sealed record AgentHealth(
    [property: Id(0)] string AgentHost,
    [property: Id(1)] long SpoolBytes,
    [property: Id(2)] int SpoolBatches,
    [property: Id(3)] int SerialReconnects,
    [property: Id(4)] double ClockOffsetSeconds,
    [property: Id(5)] double ClockJitterSeconds,
    [property: Id(6)] long BatchesQuarantined)
{
    /// <summary>The agent's signature, when the cluster uses the lab's certificates (null in development without TLS).</summary>
    [Id(7)]
    public WriterSignature? Signature { get; init; }
}
