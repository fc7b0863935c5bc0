namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// The outcome of identifying a machine's sockets from power alone: every candidate's
/// correlation (best first), the socket or two sockets proposed, or why none is (no socket
/// clearly above the rest, or the load did not show anywhere).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.SocketIdentification")]
public sealed record SocketIdentification(
    [property: Id(0)] IReadOnlyList<SocketCorrelation> Candidates,
    [property: Id(1)] IReadOnlyList<SocketRef> Proposed,
    [property: Id(2)] string? Refusal);
