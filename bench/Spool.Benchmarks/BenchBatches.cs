using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Benchmarks.Spooling;

/// <summary>Realistic batches: one second of frames (100) of a 6- or 36-plug box, and spools full of them.</summary>
public static class BenchBatches
{
    public const int Frames = 100;
    public const int Reopened = 10_000;
    private const string SourceId = "bench-host/box-1/20261125T100000-0a1b2c3d";

    public static FrameBatch Create(long sequence, int plugs)
    {
        var random = new Random((int)sequence);
        return new FrameBatch(
            SourceId,
            sequence,
            plugs,
            [.. Enumerable.Range(0, Frames).Select(k => 1_764_064_800_000_000L + (((sequence * Frames) + k) * 10_000))],
            [.. Enumerable.Range(0, Frames).Select(k => (int)((sequence * Frames) + k) & 0xFFFF)],
            [.. Enumerable.Range(0, Frames).Select(_ => true)],
            [.. Enumerable.Range(0, 3 * Frames).Select(_ => (float)(230 + random.NextDouble()))],
            [.. Enumerable.Range(0, plugs * Frames).Select(_ => (float)random.NextDouble())],
            [.. Enumerable.Range(0, plugs * Frames).Select(_ => (float)(random.NextDouble() * 300))],
            0,
            0,
            "bench-host",
            "bench-host/writer");
    }

    /// <summary>A fresh directory on the real disk (fsync is part of what is measured), not tmpfs.</summary>
    public static string NewDirectory(string name) =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "fleet-spool-bench", $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <summary>
    /// Writes <paramref name="count"/> pending batches in the segment format both the agent's
    /// spools read (60 per segment), without a flush per batch: the setup, not the measurement.
    /// </summary>
    public static void WriteSegments(string directory, int count, int plugs)
    {
        FileStream? segment = null;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            if ((sequence - 1) % 60 == 0)
            {
                segment?.Dispose();
                segment = new FileStream(Path.Combine(directory, $"20261125T100000000-{sequence:D12}.spool"), FileMode.CreateNew);
            }

            segment!.Write(FrameBatchCodec.Encode(Create(sequence, plugs)));
        }

        segment?.Dispose();
    }
}
