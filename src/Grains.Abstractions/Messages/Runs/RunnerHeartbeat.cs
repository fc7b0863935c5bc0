namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// A runner's heartbeat: its session, its clock when sent, its current estimate of the offset
/// from its clock to the cluster's (cluster = runner + offset), and the jobs it is running.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerHeartbeat")]
public sealed record RunnerHeartbeat(
    [property: Id(0)] string SessionId,
    [property: Id(1)] DateTimeOffset SentAt,
    [property: Id(2)] double ClockOffsetSeconds,
    [property: Id(3)] IReadOnlyList<string> ActiveJobs);
