namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// What the meter did with a batch. Either way the agent may delete it from its spool:
/// <c>Duplicate</c> means every frame of it was already stored (a retry, an agent restarted on
/// its spool, or the same capture replayed again), and nothing was written.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.IngestResult")]
public sealed record IngestResult(
    [property: Id(0)] IngestOutcome Outcome,
    [property: Id(1)] int FramesStored,
    [property: Id(2)] int FramesAlreadyStored);
