namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// Consecutive frames of one box from one agent, sent as one grain call (about a second of
/// frames). Column arrays, frame major: frame k's plug p is at <c>k * Plugs + p</c>.
/// <c>SourceId</c> numbers the batches of one agent run (exactly-once by sequence);
/// <c>WriterId</c> names the agent itself across restarts (one writer per box at a time).
/// Sent as a <see cref="FrameBatchWire"/>, its arrays packed in one byte array.
/// </summary>
[Immutable, Alias("fleet.FrameBatch")]
public sealed record FrameBatch(
    string SourceId,
    long Sequence,
    int Plugs,
    long[] TimesUnixMicroseconds,
    int[] FrameIds,
    bool[] Valid,
    float[] VoltagesVolts,
    float[] CurrentsAmperes,
    float[] PowersWatts,
    long FramesMissingById,
    long FramesBadCheck,
    string AgentHost,
    string WriterId)
{
    public int Count => TimesUnixMicroseconds.Length;

    /// <summary>Who wrote the batch, when the cluster uses the lab's certificates (null in development without TLS).</summary>
    public WriterSignature? Signature { get; init; }
}
