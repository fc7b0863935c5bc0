namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// A runner announcing itself for <paramref name="Machine"/>: which host it runs on, its clock
/// when it sent this, what component meters it found, and (on a cluster with the lab's
/// certificates) its signature over <see cref="Security.RunnerDigest"/>, checked like an agent's.
/// <paramref name="InstanceId"/> is new with every runner process: a second process for the
/// machine is refused while the first is alive, and one process registering again (after a silo
/// restart) is not a second. <paramref name="Challenge"/> is the one the runner grain gave for this
/// hello (<see cref="IRunnerGrain.ChallengeAsync"/>), required with an instance id: signed with
/// the rest, it makes a captured hello useless. Both null from runners older than them, which
/// replace each other as before.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerHello")]
public sealed record RunnerHello(
    [property: Id(0)] string Machine,
    [property: Id(1)] string Host,
    [property: Id(2)] DateTimeOffset SentAt,
    [property: Id(3)] IReadOnlyList<ComponentStatus> Components,
    [property: Id(4)] WriterSignature? Signature = null,
    [property: Id(5)] string? InstanceId = null,
    [property: Id(6)] string? Challenge = null);
