using System.Buffers.Binary;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Benchmarks;

/// <summary>
/// The baseline: how the vendor's reader consumes its tty, one read call per byte, walking a
/// small state machine (sync, length, payload, check byte). Only here to measure against.
/// </summary>
public sealed class OneBytePerReadDecoder
{
    private readonly byte[] _payload = new byte[FrameLayout.MaxPayloadLength];

    /// <summary>Reads the whole stream and returns the number of good frames and the sum of plug 1's power.</summary>
    public (long Frames, double FirstPlugWatts) ReadAll(Stream stream)
    {
        Span<byte> one = stackalloc byte[1];
        long frames = 0;
        double watts = 0;
        var matched = 0;
        while (stream.Read(one) == 1)
        {
            var b = one[0];
            if (b != FrameLayout.Sync[matched])
            {
                matched = b == FrameLayout.Sync[0] ? 1 : 0;
                continue;
            }

            if (++matched < FrameLayout.SyncLength)
            {
                continue;
            }

            matched = 0;
            if (stream.Read(one) != 1)
            {
                break;
            }

            var low = one[0];
            if (stream.Read(one) != 1)
            {
                break;
            }

            var length = low | (one[0] << 8);
            if (!FrameLayout.IsValidPayloadLength(length))
            {
                continue;
            }

            var check = (byte)(low ^ one[0]);
            var complete = true;
            for (var k = 0; k < length; k++)
            {
                if (stream.Read(one) != 1)
                {
                    complete = false;
                    break;
                }

                _payload[k] = one[0];
                check ^= one[0];
            }

            if (!complete || stream.Read(one) != 1)
            {
                break;
            }

            if (one[0] != check)
            {
                continue;
            }

            var n = BinaryPrimitives.ReadUInt32LittleEndian(_payload.AsSpan(FrameLayout.SampleCountOffset));
            if (n != 0)
            {
                watts += BinaryPrimitives.ReadSingleLittleEndian(_payload.AsSpan(FrameLayout.PowerOffset(0))) / n;
            }

            frames++;
        }

        return (frames, watts);
    }
}
