namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>The cluster's answer to a heartbeat: its time (for the clock offset), jobs to start, jobs to cancel.</summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerInstructions")]
public sealed record RunnerInstructions(
    [property: Id(0)] DateTimeOffset ServerTime,
    [property: Id(1)] IReadOnlyList<RunnerJob> Start,
    [property: Id(2)] IReadOnlyList<string> Cancel);
