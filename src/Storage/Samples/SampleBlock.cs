namespace Fleet.Storage.Samples;

/// <summary>
/// Consecutive frames of one box from one source, as storage takes them: the frames' columns
/// plus who sent them and in which order, so a retried block is recognised and not stored twice.
/// </summary>
public sealed class SampleBlock : FrameColumns
{
    public SampleBlock(
        string boxId,
        string sourceId,
        long sequence,
        string writerId,
        string agentHost,
        int plugs,
        long[] timesUnixMicroseconds,
        int[] frameIds,
        bool[] valid,
        float[] voltagesVolts,
        float[] currentsAmperes,
        float[] powersWatts)
        : base(plugs, timesUnixMicroseconds, frameIds, valid, voltagesVolts, currentsAmperes, powersWatts)
    {
        BoxId = boxId;
        SourceId = sourceId;
        Sequence = sequence;
        WriterId = writerId;
        AgentHost = agentHost;
    }

    public string BoxId { get; }

    /// <summary>The agent and port the block came from; sequences are per source.</summary>
    public string SourceId { get; }

    /// <summary>Increases by one per block from a source; a block at or below the stored mark is a retry.</summary>
    public long Sequence { get; }

    /// <summary>The agent (across its runs) or imported file that wrote the block: one writer feeds a box at a time.</summary>
    public string WriterId { get; }

    /// <summary>The host the writer runs on, named when a second agent is refused.</summary>
    public string AgentHost { get; }
}
