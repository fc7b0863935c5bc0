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
    }

    public string BoxId { get; }

    /// <summary>The agent and port the block came from; sequences are per source.</summary>
    public string SourceId { get; }

    /// <summary>Increases by one per block from a source; a block at or below the stored mark is a retry.</summary>
    public long Sequence { get; }
}
