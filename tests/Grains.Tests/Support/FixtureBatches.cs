using Fleet.AgentHost.Ingest;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.Grains.Tests.Support;

/// <summary>A capture turned into the batches an agent sends: 10 ms per frame-id step from a start time.</summary>
internal static class FixtureBatches
{
    public static List<FrameBatch> FromCapture(byte[] capture, DateTimeOffset start, int framesPerBatch = 100, string sourceId = "agent-1", string? writerId = null)
    {
        var startUs = (start - DateTimeOffset.UnixEpoch).Ticks / 10;
        var builder = new FrameBatchBuilder(sourceId, "test-host", writerId ?? sourceId, framesPerBatch);
        var batches = new List<FrameBatch>();
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> rest = capture;
        while (decoder.TryReadFrame(ref rest, out var frame))
        {
            if (!builder.TryAdd(startUs + (frame.Sequence * 10_000), frame, decoder.LastGap, 0))
            {
                batches.Add(builder.Build(batches.Count + 1));
                builder.TryAdd(startUs + (frame.Sequence * 10_000), frame, decoder.LastGap, 0);
            }
        }

        if (builder.Count > 0)
        {
            batches.Add(builder.Build(batches.Count + 1));
        }

        return batches;
    }
}
