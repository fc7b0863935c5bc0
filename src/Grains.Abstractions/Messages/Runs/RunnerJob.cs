namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// Work the cluster hands a runner with a heartbeat's answer: <paramref name="JobId"/> is the
/// experiment id for a command, the identification id for a load pattern.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerJob")]
public sealed record RunnerJob(
    [property: Id(0)] string JobId,
    [property: Id(1)] RunnerJobKind Kind,
    [property: Id(2)] RunSpec? Run,
    [property: Id(3)] LoadPattern? Pattern);
