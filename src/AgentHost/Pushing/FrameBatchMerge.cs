using Fleet.Grains.Abstractions.Messages;

namespace Fleet.AgentHost.Pushing;

/// <summary>Consecutive spooled batches of one source as one batch: one grain call and one transaction for many seconds of frames.</summary>
internal static class FrameBatchMerge
{
    /// <summary>
    /// The batches' frames in order, under the last batch's sequence: storing it moves the
    /// source's mark past all of them, and a retry with other boundaries is recognised by content.
    /// </summary>
    public static FrameBatch Concat(IReadOnlyList<FrameBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var last = batches[^1];
        return last with
        {
            TimesUnixMicroseconds = Concat(batches, b => b.TimesUnixMicroseconds),
            FrameIds = Concat(batches, b => b.FrameIds),
            Valid = Concat(batches, b => b.Valid),
            VoltagesVolts = Concat(batches, b => b.VoltagesVolts),
            CurrentsAmperes = Concat(batches, b => b.CurrentsAmperes),
            PowersWatts = Concat(batches, b => b.PowersWatts),
            FramesMissingById = batches.Sum(b => b.FramesMissingById),
            FramesBadCheck = batches.Sum(b => b.FramesBadCheck),
        };
    }

    /// <summary>One column of every batch, copied whole (an element-wise enumeration cost the agent more than the copy).</summary>
    private static T[] Concat<T>(IReadOnlyList<FrameBatch> batches, Func<FrameBatch, T[]> column)
    {
        var length = 0;
        foreach (var batch in batches)
        {
            length += column(batch).Length;
        }

        var all = GC.AllocateUninitializedArray<T>(length);
        var offset = 0;
        foreach (var batch in batches)
        {
            var part = column(batch);
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return all;
    }
}
