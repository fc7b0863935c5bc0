namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// An experiment's command on one machine: the runner's host, when the command ran (cluster
/// time), its exit code once it ended, and why it failed when it did.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.MachineRun")]
public sealed record MachineRun(
    [property: Id(0)] string Machine,
    [property: Id(1)] string? Host,
    [property: Id(2)] DateTimeOffset? StartedAt,
    [property: Id(3)] DateTimeOffset? EndedAt,
    [property: Id(4)] int? ExitCode,
    [property: Id(5)] string? Error,
    [property: Id(6)] IReadOnlyList<ComponentStatus> Components);
