namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// A runner announcing itself for <paramref name="Machine"/>: which host it runs on, its clock
/// when it sent this, what component meters it found, and (on a cluster with the lab's
/// certificates) its signature over <see cref="Security.RunnerDigest"/>, checked like an agent's.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerHello")]
public sealed record RunnerHello(
    [property: Id(0)] string Machine,
    [property: Id(1)] string Host,
    [property: Id(2)] DateTimeOffset SentAt,
    [property: Id(3)] IReadOnlyList<ComponentStatus> Components,
    [property: Id(4)] WriterSignature? Signature = null);
