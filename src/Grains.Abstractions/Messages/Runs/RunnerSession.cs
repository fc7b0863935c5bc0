namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>The answer to a hello: the session the runner's later calls carry, and the cadence the cluster expects.</summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerSession")]
public sealed record RunnerSession(
    [property: Id(0)] string SessionId,
    [property: Id(1)] DateTimeOffset ServerTime,
    [property: Id(2)] double HeartbeatSeconds,
    [property: Id(3)] double HeartbeatTimeoutSeconds);
