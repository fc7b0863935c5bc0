using System.Globalization;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.Grains.Meters;

/// <summary>
/// The checks every batch passes before anything is stored, whatever path it took (an agent, an
/// import): each failure is permanent and says which limit was crossed.
/// </summary>
public static class BatchRules
{
    /// <summary>Throws <see cref="InvalidBatchException"/> for a batch that can never be stored, <see cref="RequestRejectedException"/> for one the box's plug count refuses.</summary>
    /// <param name="boxPlugs">The box's plug count, or 0 when the box has stored nothing yet.</param>
    public static void Validate(string boxId, int boxPlugs, FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!Naming.IsValidId(boxId))
        {
            throw new InvalidBatchException(Naming.InvalidId(boxId, "box id"));
        }

        if (string.IsNullOrWhiteSpace(batch.SourceId) || batch.SourceId.Length > IngestLimits.MaxSourceIdLength
            || string.IsNullOrWhiteSpace(batch.WriterId) || batch.WriterId.Length > IngestLimits.MaxSourceIdLength
            || batch.AgentHost is null || batch.AgentHost.Length > IngestLimits.MaxSourceIdLength)
        {
            throw new InvalidBatchException($"a batch needs a source id, a writer id and an agent host of at most {IngestLimits.MaxSourceIdLength} characters");
        }

        if (batch.Sequence < 1)
        {
            throw new InvalidBatchException($"batch sequence {batch.Sequence}: sequences start at 1");
        }

        if (!FrameLayout.IsValidPlugCount(batch.Plugs))
        {
            throw new InvalidBatchException($"a batch of {batch.Plugs} plugs: a box has {FrameLayout.PlugsPerModule} to {FrameLayout.MaxPlugs} plugs, a multiple of {FrameLayout.PlugsPerModule}");
        }

        if (boxPlugs != 0 && batch.Plugs != boxPlugs)
        {
            throw new RequestRejectedException($"box {boxId} has {boxPlugs} plugs; this batch has {batch.Plugs} (a box keeps its plug count: use another box id for another setup)");
        }

        var count = batch.TimesUnixMicroseconds?.Length ?? 0;
        if (count > IngestLimits.MaxFramesPerBatch)
        {
            throw new InvalidBatchException($"{count} frames in one batch; at most {IngestLimits.MaxFramesPerBatch}");
        }

        if (batch.TimesUnixMicroseconds is null || batch.FrameIds?.Length != count || batch.Valid?.Length != count
            || batch.VoltagesVolts?.Length != FrameLayout.Phases * count || batch.CurrentsAmperes?.Length != batch.Plugs * count
            || batch.PowersWatts?.Length != batch.Plugs * count)
        {
            throw new InvalidBatchException(
                $"a batch of {count} frames of {batch.Plugs} plugs needs {count} frame ids and valid flags, {FrameLayout.Phases * count} voltages and {batch.Plugs * count} currents and powers");
        }

        if (batch.FramesMissingById < 0 || batch.FramesBadCheck < 0)
        {
            throw new InvalidBatchException("frame loss counts cannot be negative");
        }

        CheckTimes(batch.TimesUnixMicroseconds);
        CheckValues(batch);
    }

    private static void CheckTimes(long[] times)
    {
        var earliest = Microseconds(IngestLimits.EarliestTime);
        var end = Microseconds(IngestLimits.EndTime);
        long second = long.MinValue;
        var inSecond = 0;
        for (var k = 0; k < times.Length; k++)
        {
            if (times[k] < earliest || times[k] >= end)
            {
                throw new InvalidBatchException($"frame {k + 1} of the batch is timed outside {Iso(IngestLimits.EarliestTime)} to {Iso(IngestLimits.EndTime)}");
            }

            if (k > 0 && times[k] <= times[k - 1])
            {
                throw new InvalidBatchException($"frame times must increase: frame {k + 1} of the batch is not after frame {k}");
            }

            var frameSecond = times[k] / 1_000_000;
            inSecond = frameSecond == second ? inSecond + 1 : 1;
            second = frameSecond;
            if (inSecond > IngestLimits.MaxFramesPerSecond)
            {
                throw new InvalidBatchException(
                    $"more than {IngestLimits.MaxFramesPerSecond} frames in the second {Iso(DateTimeOffset.FromUnixTimeSeconds(second))} (a box sends {FrameLayout.FramesPerSecond} a second)");
            }
        }
    }

    private static void CheckValues(FrameBatch batch)
    {
        var plugs = batch.Plugs;
        for (var k = 0; k < batch.Count; k++)
        {
            if (batch.Valid[k] && (!AllFinite(batch.VoltagesVolts.AsSpan(FrameLayout.Phases * k, FrameLayout.Phases))
                || !AllFinite(batch.CurrentsAmperes.AsSpan(plugs * k, plugs)) || !AllFinite(batch.PowersWatts.AsSpan(plugs * k, plugs))))
            {
                throw new InvalidBatchException($"frame {k + 1} of the batch is valid but holds a value that is not a finite number");
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
