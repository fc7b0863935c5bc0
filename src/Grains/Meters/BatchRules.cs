using System.Globalization;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;

namespace Fleet.Grains.Meters;

/// <summary>
/// The checks every batch passes before anything is stored, whatever path it took (an agent, an
/// import): each failure is permanent and says which limit was crossed.
/// </summary>
public static class BatchRules
{
    /// <summary>Throws <see cref="InvalidBatchException"/> for a batch that can never be stored, <see cref="RequestRejectedException"/> for one the box's plug count refuses.</summary>
    /// <param name="boxPlugs">The box's plug count, or 0 when the box has stored nothing yet (or the caller does not know it).</param>
    /// <param name="frames">
    /// How messages name frames <c>first</c> to <c>last</c> (0-based): by default "frames 3-4 of
    /// the batch"; an import names the lines of its file instead.
    /// </param>
    public static void Validate(string boxId, int boxPlugs, FrameBatch batch, Func<int, int, string>? frames = null)
    {
        frames ??= FramesOfTheBatch;
        ArgumentNullException.ThrowIfNull(batch);
        if (!Naming.IsValidId(boxId))
        {
            throw new InvalidBatchException(Naming.InvalidId(boxId, "box id"));
        }

        if (string.IsNullOrWhiteSpace(batch.SourceId) || batch.SourceId.Length > IngestLimits.MaxSourceIdLength)
        {
            throw new InvalidBatchException($"'source_id' is required (at most {IngestLimits.MaxSourceIdLength} characters): it names the agent run or the imported file, for exactly-once storage");
        }

        if (string.IsNullOrWhiteSpace(batch.WriterId) || batch.WriterId.Length > IngestLimits.MaxSourceIdLength
            || batch.AgentHost is null || batch.AgentHost.Length > IngestLimits.MaxSourceIdLength)
        {
            throw new InvalidBatchException($"a batch needs a writer id and an agent host of at most {IngestLimits.MaxSourceIdLength} characters");
        }

        if (batch.Sequence < 1)
        {
            throw new InvalidBatchException($"'sequence' = {batch.Sequence}: it must be 1 or more (the batches of a source are numbered in order)");
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

        CheckTimes(batch.TimesUnixMicroseconds, frames);
        CheckValues(batch, frames);
    }

    /// <summary>"frame 3 of the batch", "frames 3-4 of the batch" (1-based, as people count).</summary>
    public static string FramesOfTheBatch(int first, int last) => first == last
        ? string.Create(CultureInfo.InvariantCulture, $"frame {first + 1} of the batch")
        : string.Create(CultureInfo.InvariantCulture, $"frames {first + 1}-{last + 1} of the batch");

    private static void CheckTimes(long[] times, Func<int, int, string> frames)
    {
        var earliest = Microseconds(IngestLimits.EarliestTime);
        var end = Microseconds(IngestLimits.EndTime);
        long second = long.MinValue;
        var inSecond = 0;
        var secondStart = 0;
        for (var k = 0; k < times.Length; k++)
        {
            if (times[k] < earliest || times[k] >= end)
            {
                throw new InvalidBatchException($"{frames(k, k)}: the time is outside what Fleet stores ({Iso(IngestLimits.EarliestTime)} to {Iso(IngestLimits.EndTime)})");
            }

            if (k > 0 && times[k] <= times[k - 1])
            {
                throw new InvalidBatchException($"frame times must increase: {frames(k - 1, k)} ({IsoMicroseconds(times[k - 1])} then {IsoMicroseconds(times[k])})");
            }

            var frameSecond = times[k] / 1_000_000;
            if (frameSecond != second)
            {
                second = frameSecond;
                secondStart = k;
                inSecond = 0;
            }

            if (++inSecond > IngestLimits.MaxFramesPerSecond)
            {
                throw new InvalidBatchException(
                    $"more than {IngestLimits.MaxFramesPerSecond} frames in the second {Iso(DateTimeOffset.FromUnixTimeSeconds(second))} ({frames(secondStart, k)}; a box sends {FrameLayout.FramesPerSecond} a second)");
            }
        }
    }

    private static void CheckValues(FrameBatch batch, Func<int, int, string> frames)
    {
        var plugs = batch.Plugs;
        for (var k = 0; k < batch.Count; k++)
        {
            if (batch.Valid[k] && (!AllFinite(batch.VoltagesVolts.AsSpan(FrameLayout.Phases * k, FrameLayout.Phases))
                || !AllFinite(batch.CurrentsAmperes.AsSpan(plugs * k, plugs)) || !AllFinite(batch.PowersWatts.AsSpan(plugs * k, plugs))))
            {
                throw new InvalidBatchException($"{frames(k, k)}: a valid frame with a value that is not a finite number");
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

    private static string Iso(DateTimeOffset time) => IsoTime.Format(time);

    private static string IsoMicroseconds(long unixMicroseconds) => IsoTime.FormatUnixMicroseconds(unixMicroseconds);
}
