namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// Consecutive frames of one box from one agent, sent as one grain call (about a second of
/// frames). Column arrays, frame major: frame k's plug p is at <c>k * Plugs + p</c>.
/// <c>SourceId</c> numbers the batches of one agent run (exactly-once by sequence);
/// <c>WriterId</c> names the agent itself across restarts (one writer per box at a time).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.FrameBatch")]
public sealed record FrameBatch(
    [property: Id(0)] string SourceId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] int Plugs,
    [property: Id(3)] long[] TimesUnixMicroseconds,
    [property: Id(4)] int[] FrameIds,
    [property: Id(5)] bool[] Valid,
    [property: Id(6)] float[] VoltagesVolts,
    [property: Id(7)] float[] CurrentsAmperes,
    [property: Id(8)] float[] PowersWatts,
    [property: Id(9)] long FramesMissingById,
    [property: Id(10)] long FramesBadCheck,
    [property: Id(11)] string AgentHost,
    [property: Id(12)] string WriterId)
{
    public int Count => TimesUnixMicroseconds.Length;

    /// <summary>Who wrote the batch, when the cluster uses the lab's certificates (null in development without TLS).</summary>
    [Id(13)]
    public WriterSignature? Signature { get; init; }
}
