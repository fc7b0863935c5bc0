using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Time;
using Fleet.Storage.Samples;

namespace Fleet.Grains.Meters;

/// <summary>
/// How a batch relates to the frames already stored in its time span: which of its frames are
/// already there (same time, same frame id, same values), which are new, or why it conflicts.
/// This is what makes ingest idempotent by content: an agent restarted on its spool, or a
/// capture replayed again with the same start, stores nothing twice, while frames of another
/// stream in the same period (another agent, another file, another clock) are refused instead
/// of doubling the period's energy.
/// </summary>
public sealed class BatchOverlap
{
    private BatchOverlap(int[] newFrames, int alreadyStored, string? conflict)
    {
        NewFrames = newFrames;
        AlreadyStored = alreadyStored;
        Conflict = conflict;
    }

    /// <summary>Indexes (in order) of the batch's frames that are not stored yet.</summary>
    public IReadOnlyList<int> NewFrames { get; }

    /// <summary>Frames of the batch already stored, identical.</summary>
    public int AlreadyStored { get; }

    /// <summary>Why the batch cannot be stored (null when it can): stored frames differ from it or interleave with it.</summary>
    public string? Conflict { get; }

    /// <summary>
    /// Compares <paramref name="batch"/> with <paramref name="stored"/>, the box's stored frames
    /// from the batch's first to its last frame time, in time order.
    /// </summary>
    public static BatchOverlap Classify(FrameBatch batch, IReadOnlyList<FrameColumns> stored)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(stored);
        var matched = new bool[batch.Count];
        var alreadyStored = 0;
        long firstStored = long.MaxValue;
        long lastStored = long.MinValue;
        var k = 0;
        foreach (var chunk in stored)
        {
            for (var j = 0; j < chunk.Count; j++)
            {
                var time = chunk.TimesUnixMicroseconds[j];
                firstStored = Math.Min(firstStored, time);
                lastStored = Math.Max(lastStored, time);
                while (k < batch.Count && batch.TimesUnixMicroseconds[k] < time)
                {
                    k++;
                }

                if (k == batch.Count || batch.TimesUnixMicroseconds[k] != time)
                {
                    return Refused($"a stored frame at {Iso(time)} is not in this batch");
                }

                if (!SameFrame(batch, k, chunk, j))
                {
                    return Refused($"the stored frame at {Iso(time)} differs from this batch's");
                }

                matched[k] = true;
                alreadyStored++;
            }
        }

        var newFrames = new List<int>(batch.Count - alreadyStored);
        for (var i = 0; i < batch.Count; i++)
        {
            if (matched[i])
            {
                continue;
            }

            // New frames may extend what is stored before or after it, never fill in between:
            // a frame between two stored ones would be a second stream at another rate.
            var time = batch.TimesUnixMicroseconds[i];
            if (time > firstStored && time < lastStored)
            {
                return Refused($"this batch's frame at {Iso(time)} falls between stored frames");
            }

            newFrames.Add(i);
        }

        return new BatchOverlap([.. newFrames], alreadyStored, null);
    }

    private static BatchOverlap Refused(string reason) => new([], 0, reason);

    private static bool SameFrame(FrameBatch batch, int k, FrameColumns chunk, int j)
    {
        if (batch.FrameIds[k] != chunk.FrameIds[j] || batch.Valid[k] != chunk.Valid[j] || batch.Plugs != chunk.Plugs)
        {
            return false;
        }

        // Frames without data carry no values (NaN), so only the flag and id can be compared.
        if (!batch.Valid[k])
        {
            return true;
        }

        var plugs = batch.Plugs;
        return batch.PowersWatts.AsSpan(plugs * k, plugs).SequenceEqual(chunk.PowersWatts.AsSpan(plugs * j, plugs))
            && batch.CurrentsAmperes.AsSpan(plugs * k, plugs).SequenceEqual(chunk.CurrentsAmperes.AsSpan(plugs * j, plugs))
            && batch.VoltagesVolts.AsSpan(3 * k, 3).SequenceEqual(chunk.VoltagesVolts.AsSpan(3 * j, 3));
    }

    private static string Iso(long unixMicroseconds) => IsoTime.FormatUnixMicroseconds(unixMicroseconds);
}
