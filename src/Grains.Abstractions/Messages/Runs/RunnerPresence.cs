namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// Whether a machine has a runner: the host it registered from, its last heartbeat (cluster
/// time), whether that is within the heartbeat timeout, its clock offset, its component meters
/// and the jobs it runs. <paramref name="Host"/> is null when no runner ever registered.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerPresence")]
public sealed record RunnerPresence(
    [property: Id(0)] string Machine,
    [property: Id(1)] string? Host,
    [property: Id(2)] DateTimeOffset? LastHeartbeat,
    [property: Id(3)] bool Alive,
    [property: Id(4)] double ClockOffsetSeconds,
    [property: Id(5)] IReadOnlyList<ComponentStatus> Components,
    [property: Id(6)] IReadOnlyList<string> ActiveJobs);
