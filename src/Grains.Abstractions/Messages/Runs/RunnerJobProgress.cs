namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>A job as its runner reported it so far: when it started (cluster time), its activity, and its outcome once it ended.</summary>
[GenerateSerializer, Immutable, Alias("fleet.RunnerJobProgress")]
public sealed record RunnerJobProgress(
    [property: Id(0)] string JobId,
    [property: Id(1)] DateTimeOffset? StartedAt,
    [property: Id(2)] IReadOnlyList<ActivitySample> Activity,
    [property: Id(3)] RunOutcome? Outcome);
