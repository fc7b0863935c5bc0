namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// How a job ended on a runner: the command's exit code (null when it could not start or was
/// killed by a signal), when it ran (cluster time), and why it failed when it did.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunOutcome")]
public sealed record RunOutcome(
    [property: Id(0)] int? ExitCode,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset EndedAt,
    [property: Id(3)] string? Error,
    [property: Id(4)] bool Cancelled);
