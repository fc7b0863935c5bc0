using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Meters;

/// <summary>The frames of a batch that are new to storage, as a batch of their own.</summary>
internal static class FrameBatchSubset
{
    /// <summary>The batch restricted to <paramref name="frames"/> (indexes in increasing order); the batch itself when that is all of it.</summary>
    public static FrameBatch Of(FrameBatch batch, IReadOnlyList<int> frames)
    {
        if (frames.Count == batch.Count)
        {
            return batch;
        }

        var plugs = batch.Plugs;
        var times = new long[frames.Count];
        var ids = new int[frames.Count];
        var valid = new bool[frames.Count];
        var volts = new float[3 * frames.Count];
        var currents = new float[plugs * frames.Count];
        var powers = new float[plugs * frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            var k = frames[i];
            times[i] = batch.TimesUnixMicroseconds[k];
            ids[i] = batch.FrameIds[k];
            valid[i] = batch.Valid[k];
            batch.VoltagesVolts.AsSpan(3 * k, 3).CopyTo(volts.AsSpan(3 * i));
            batch.CurrentsAmperes.AsSpan(plugs * k, plugs).CopyTo(currents.AsSpan(plugs * i));
            batch.PowersWatts.AsSpan(plugs * k, plugs).CopyTo(powers.AsSpan(plugs * i));
        }

        // Loss counts belong to the frames the batch brings: none when all were stored before.
        return batch with
        {
            TimesUnixMicroseconds = times,
            FrameIds = ids,
            Valid = valid,
            VoltagesVolts = volts,
            CurrentsAmperes = currents,
            PowersWatts = powers,
            FramesMissingById = frames.Count == 0 ? 0 : batch.FramesMissingById,
            FramesBadCheck = frames.Count == 0 ? 0 : batch.FramesBadCheck,
        };
    }
}
