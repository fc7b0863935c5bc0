using Fleet.OmegaWatt.Protocol;
using Fleet.Storage.Samples;

namespace Fleet.Storage.Tests.Support;

/// <summary>Turns a raw capture into storage blocks of N frames, timed 10 ms per frame-id step from a start.</summary>
internal static class CaptureBlocks
{
    public static List<SampleBlock> FromCapture(byte[] capture, string boxId, DateTimeOffset start, int framesPerBlock, string sourceId = "test-agent")
    {
        var startUs = (start - DateTimeOffset.UnixEpoch).Ticks / 10;
        var frames = new List<(long Time, int Id, bool Valid, float[] Volts, float[] Currents, float[] Powers)>();
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> rest = capture;
        while (decoder.TryReadFrame(ref rest, out var frame))
        {
            var volts = new float[3];
            var currents = new float[frame.Plugs];
            var powers = new float[frame.Plugs];
            frame.CopyValuesTo(volts, currents, powers);
            frames.Add((startUs + (frame.Sequence * 10_000), frame.FrameId, frame.IsValid, volts, currents, powers));
        }

        var blocks = new List<SampleBlock>();
        for (var first = 0; first < frames.Count; first += framesPerBlock)
        {
            var part = frames.Skip(first).Take(framesPerBlock).ToList();
            blocks.Add(new SampleBlock(
                boxId,
                sourceId,
                blocks.Count + 1,
                sourceId,
                "test-host",
                part[0].Currents.Length,
                [.. part.Select(f => f.Time)],
                [.. part.Select(f => f.Id)],
                [.. part.Select(f => f.Valid)],
                [.. part.SelectMany(f => f.Volts)],
                [.. part.SelectMany(f => f.Currents)],
                [.. part.SelectMany(f => f.Powers)]));
        }

        return blocks;
    }
}
