namespace Fleet.Storage.Samples;

/// <summary>
/// Consecutive frames of one box from one source, as storage takes them: column arrays, frame
/// major (frame k's plug p at <c>k * Plugs + p</c>), so a block maps onto chunk rows without
/// per-frame objects.
/// </summary>
public sealed class SampleBlock
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
    {
        ArgumentNullException.ThrowIfNull(timesUnixMicroseconds);
        ArgumentNullException.ThrowIfNull(frameIds);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(voltagesVolts);
        ArgumentNullException.ThrowIfNull(currentsAmperes);
        ArgumentNullException.ThrowIfNull(powersWatts);
        var count = timesUnixMicroseconds.Length;
        if (frameIds.Length != count || valid.Length != count || voltagesVolts.Length != 3 * count
            || currentsAmperes.Length != plugs * count || powersWatts.Length != plugs * count)
        {
            throw new ArgumentException($"A block of {count} frames of {plugs} plugs needs {count} ids and flags, {3 * count} voltages and {plugs * count} currents and powers.");
        }

        for (var k = 1; k < count; k++)
        {
            if (timesUnixMicroseconds[k] <= timesUnixMicroseconds[k - 1])
            {
                throw new ArgumentException($"Frame times must increase; frame {k} is not after frame {k - 1}.", nameof(timesUnixMicroseconds));
            }
        }

        BoxId = boxId;
        SourceId = sourceId;
        Sequence = sequence;
        Plugs = plugs;
        TimesUnixMicroseconds = timesUnixMicroseconds;
        FrameIds = frameIds;
        Valid = valid;
        VoltagesVolts = voltagesVolts;
        CurrentsAmperes = currentsAmperes;
        PowersWatts = powersWatts;
    }

    public string BoxId { get; }

    /// <summary>The agent and port the block came from; sequences are per source.</summary>
    public string SourceId { get; }

    /// <summary>Increases by one per block from a source; a block at or below the stored mark is a retry.</summary>
    public long Sequence { get; }

    public int Plugs { get; }

    public int Count => TimesUnixMicroseconds.Length;

    public long[] TimesUnixMicroseconds { get; }

    public int[] FrameIds { get; }

    public bool[] Valid { get; }

    public float[] VoltagesVolts { get; }

    public float[] CurrentsAmperes { get; }

    public float[] PowersWatts { get; }
}
