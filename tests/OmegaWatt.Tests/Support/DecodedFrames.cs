using System.Buffers;
using Fleet.OmegaWatt.Protocol;
using Fleet.Tests.Common;

namespace Fleet.OmegaWatt.Tests.Support;

/// <summary>Decodes bytes fed in chunks, the way a serial port delivers them, into comparable rows.</summary>
internal static class DecodedFrames
{
    public static (List<ExpectedRow> Rows, DecoderCounters Counters, long Tail) DecodeInChunks(byte[] capture, IEnumerable<int> chunkLengths)
    {
        var decoder = new FrameDecoder();
        var rows = new List<ExpectedRow>();
        var offset = 0;
        ReadOnlySequence<byte> buffer = default;
        foreach (var length in chunkLengths.Append(int.MaxValue))
        {
            var take = Math.Min(length, capture.Length - offset);
            if (take <= 0)
            {
                break;
            }

            // Keep what the decoder left, append the new chunk as a new segment (as a pipe does).
            buffer = Segments.Build(buffer, capture[offset..(offset + take)]);
            offset += take;
            while (decoder.TryReadFrame(ref buffer, out var frame))
            {
                rows.Add(ToRow(frame));
            }
        }

        return (rows, decoder.Counters, buffer.Length);
    }

    public static (List<ExpectedRow> Rows, DecoderCounters Counters) DecodeContiguous(ReadOnlySpan<byte> capture)
    {
        var decoder = new FrameDecoder();
        var rows = new List<ExpectedRow>();
        while (decoder.TryReadFrame(ref capture, out var frame))
        {
            rows.Add(ToRow(frame));
        }

        return (rows, decoder.Counters);
    }

    public static ExpectedRow ToRow(in Frame frame)
    {
        var volts = new float[3];
        var currents = new float[frame.Plugs];
        var powers = new float[frame.Plugs];
        frame.CopyValuesTo(volts, currents, powers);
        var values = volts.Concat(currents).Concat(powers).Select(v => (double)v).ToArray();
        return new ExpectedRow(frame.FrameId, frame.IsValid, values);
    }
}
