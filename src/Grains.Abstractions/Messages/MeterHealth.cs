namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// How a box is doing, as its meter grain sees it. <c>BatchesRejected</c>: batches this meter
/// refused for good since it was activated; <c>BatchesQuarantined</c>: what its agent last
/// reported holding in its spool's <c>rejected/</c> directory.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.MeterHealth")]
public sealed record MeterHealth(
    [property: Id(0)] string BoxId,
    [property: Id(1)] int Plugs,
    [property: Id(2)] long FramesStored,
    [property: Id(3)] double FramesPerSecond,
    [property: Id(4)] long FramesMissingById,
    [property: Id(5)] long FramesBadCheck,
    [property: Id(6)] DateTimeOffset? LastFrameTime,
    [property: Id(7)] string? AgentHost,
    [property: Id(8)] IReadOnlyList<float> LastPowerWatts,
    [property: Id(9)] long BatchesQuarantined,
    [property: Id(10)] long BatchesRejected);
