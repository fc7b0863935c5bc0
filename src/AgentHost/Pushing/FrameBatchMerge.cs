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
            TimesUnixMicroseconds = [.. batches.SelectMany(b => b.TimesUnixMicroseconds)],
            FrameIds = [.. batches.SelectMany(b => b.FrameIds)],
            Valid = [.. batches.SelectMany(b => b.Valid)],
            VoltagesVolts = [.. batches.SelectMany(b => b.VoltagesVolts)],
            CurrentsAmperes = [.. batches.SelectMany(b => b.CurrentsAmperes)],
            PowersWatts = [.. batches.SelectMany(b => b.PowersWatts)],
            FramesMissingById = batches.Sum(b => b.FramesMissingById),
            FramesBadCheck = batches.Sum(b => b.FramesBadCheck),
        };
    }
}
