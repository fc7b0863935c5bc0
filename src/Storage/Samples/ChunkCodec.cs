using System.Buffers;
using System.IO.Compression;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.Storage.Samples;

/// <summary>
/// The lossless codec of a raw chunk (the frames of one box in one UTC second), stored in
/// <c>sample_chunks.data</c>. The row keeps the first frame's time offset, frame id and the frame
/// count; the codec stores only what they do not imply. Documented in docs/storage-codec.md.
/// </summary>
/// <remarks>
/// <para>Layout of <c>data</c>: one version byte (1), the body's length as an unsigned LEB128
/// varint, then the body compressed by Brotli. The body, frames k = 1 … n−1 after the first:</para>
/// <list type="number">
/// <item>n − 1 frame-id steps minus one, zigzag LEB128 (0 for consecutive frames);</item>
/// <item>n − 1 time residuals in µs: offset[k] − offset[k−1] − 10 000 × id step, zigzag LEB128
/// (0 while the agent's clock model runs: t = t0 + 10 ms × sequence);</item>
/// <item>the valid flags, one bit per frame, least significant bit first;</item>
/// <item>the values, channel by channel (U1..U3, I1..In, P1..Pn) over all n frames: each f32's
/// bits minus the previous frame's in the same channel (wrapping u32 subtraction, zigzagged),
/// then byte-shuffled (every value's low byte, then every second byte, and so on), so the
/// bytes a slowly varying channel leaves unchanged line up as runs the compressor removes.</item>
/// </list>
/// <para>Every bit pattern round-trips, NaN payloads of invalid frames included.</para>
/// </remarks>
public static class ChunkCodec
{
    public const byte Version = 1;

    /// <summary>
    /// Brotli's quality: 1 encodes a 6-plug second in ~50 µs and 5 in ~600 µs for 5 % less space
    /// (docs/storage-codec.md); the silo encodes every box's every second, so speed wins.
    /// </summary>
    private const int Quality = 1;

    /// <summary>A chunk's body is at most ~40 kB (120 frames × 75 channels × 4 B): a 64 kB window holds it whole.</summary>
    private const int WindowBits = 16;

    /// <summary>
    /// Encodes frames [<paramref name="start"/>, start + <paramref name="count"/>) of
    /// <paramref name="columns"/> into <paramref name="destination"/> (cleared first). Times are
    /// taken relative to the first frame; ids relative to the first id.
    /// </summary>
    public static void Encode(FrameColumns columns, int start, int count, ArrayBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var plugs = columns.Plugs;
        var channels = FrameLayout.Phases + (2 * plugs);
        var bodyBound = (2 * 10 * count) + ((count + 7) / 8) + (4 * channels * count);
        var body = ArrayPool<byte>.Shared.Rent(bodyBound);
        try
        {
            var length = WriteBody(columns, start, count, body);
            destination.Clear();
            var header = destination.GetSpan(1 + 5);
            header[0] = Version;
            var headerLength = 1 + WriteVarint(header[1..], (ulong)length);
            destination.Advance(headerLength);
            var bound = BrotliEncoder.GetMaxCompressedLength(length);
            if (!BrotliEncoder.TryCompress(body.AsSpan(0, length), destination.GetSpan(bound), out var written, Quality, WindowBits))
            {
                throw new InvalidOperationException("Brotli could not compress a chunk into its own bound.");
            }

            destination.Advance(written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>Encodes frames into a new array (the form tests and migrations use).</summary>
    public static byte[] Encode(FrameColumns columns, int start, int count)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(columns, start, count, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes a chunk into <paramref name="destination"/> at frame <paramref name="at"/>: times
    /// (µs since the epoch, from <paramref name="firstUnixMicroseconds"/>), ids (from
    /// <paramref name="firstFrameId"/>), flags and values.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> data, long firstUnixMicroseconds, int firstFrameId, int count, int plugs, ChunkFrames destination, int at)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (data.Length < 2 || data[0] != Version)
        {
            throw new InvalidDataException(data.Length == 0
                ? "An empty raw chunk."
                : $"A raw chunk in codec version {data[0]}; this build reads version {Version}.");
        }

        var position = 1;
        var length = checked((int)ReadVarint(data, ref position));
        var body = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!BrotliDecoder.TryDecompress(data[position..], body.AsSpan(0, length), out var written) || written != length)
            {
                throw new InvalidDataException("A raw chunk's compressed body is damaged.");
            }

            ReadBody(body.AsSpan(0, length), firstUnixMicroseconds, firstFrameId, count, plugs, destination, at);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private static int WriteBody(FrameColumns columns, int start, int count, Span<byte> body)
    {
        var position = 0;
        var times = columns.TimesUnixMicroseconds;
        var ids = columns.FrameIds;
        for (var k = start + 1; k < start + count; k++)
        {
            position += WriteVarint(body[position..], ZigZag((long)ids[k] - ids[k - 1] - 1));
        }

        for (var k = start + 1; k < start + count; k++)
        {
            var step = (long)ids[k] - ids[k - 1];
            position += WriteVarint(body[position..], ZigZag(times[k] - times[k - 1] - (FrameLayout.FramePeriodMicroseconds * step)));
        }

        var flags = body.Slice(position, (count + 7) / 8);
        flags.Clear();
        for (var k = 0; k < count; k++)
        {
            if (columns.Valid[start + k])
            {
                flags[k >> 3] |= (byte)(1 << (k & 7));
            }
        }

        position += flags.Length;
        var plugs = columns.Plugs;
        var channels = FrameLayout.Phases + (2 * plugs);
        var planes = body.Slice(position, 4 * channels * count);
        var plane = channels * count;
        var index = 0;
        for (var channel = 0; channel < channels; channel++)
        {
            var (values, stride, offset) = Channel(columns.VoltagesVolts, columns.CurrentsAmperes, columns.PowersWatts, plugs, channel);
            uint previous = 0;
            for (var k = start; k < start + count; k++)
            {
                var bits = BitConverter.SingleToUInt32Bits(values[(k * stride) + offset]);
                var step = ZigZag32(bits - previous);
                previous = bits;
                planes[index] = (byte)step;
                planes[plane + index] = (byte)(step >> 8);
                planes[(2 * plane) + index] = (byte)(step >> 16);
                planes[(3 * plane) + index] = (byte)(step >> 24);
                index++;
            }
        }

        return position + planes.Length;
    }

    private static void ReadBody(ReadOnlySpan<byte> body, long firstUnixMicroseconds, int firstFrameId, int count, int plugs, ChunkFrames destination, int at)
    {
        var position = 0;
        var ids = destination.FrameIds;
        var times = destination.TimesUnixMicroseconds;
        ids[at] = firstFrameId;
        times[at] = firstUnixMicroseconds;
        for (var k = at + 1; k < at + count; k++)
        {
            ids[k] = checked((int)((long)ids[k - 1] + 1 + UnZigZag(ReadVarint(body, ref position))));
        }

        for (var k = at + 1; k < at + count; k++)
        {
            var step = (long)ids[k] - ids[k - 1];
            times[k] = times[k - 1] + (FrameLayout.FramePeriodMicroseconds * step) + UnZigZag(ReadVarint(body, ref position));
        }

        var flags = body.Slice(position, (count + 7) / 8);
        for (var k = 0; k < count; k++)
        {
            destination.Valid[at + k] = (flags[k >> 3] & (1 << (k & 7))) != 0;
        }

        position += flags.Length;
        var channels = FrameLayout.Phases + (2 * plugs);
        var planes = body.Slice(position, 4 * channels * count);
        var plane = channels * count;
        var index = 0;
        for (var channel = 0; channel < channels; channel++)
        {
            var (values, stride, offset) = Channel(destination.VoltagesVolts, destination.CurrentsAmperes, destination.PowersWatts, plugs, channel);
            uint previous = 0;
            for (var k = at; k < at + count; k++)
            {
                var step = planes[index] | ((uint)planes[plane + index] << 8) | ((uint)planes[(2 * plane) + index] << 16) | ((uint)planes[(3 * plane) + index] << 24);
                previous += UnZigZag32(step);
                values[(k * stride) + offset] = BitConverter.UInt32BitsToSingle(previous);
                index++;
            }
        }
    }

    /// <summary>Where channel c (U1..U3, I1..In, P1..Pn) lives in the frame-major columns.</summary>
    private static (float[] Values, int Stride, int Offset) Channel(float[] voltages, float[] currents, float[] powers, int plugs, int channel) =>
        channel < FrameLayout.Phases ? (voltages, FrameLayout.Phases, channel)
        : channel < FrameLayout.Phases + plugs ? (currents, plugs, channel - FrameLayout.Phases)
        : (powers, plugs, channel - FrameLayout.Phases - plugs);

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static uint ZigZag32(uint difference) => (difference << 1) ^ (uint)((int)difference >> 31);

    private static uint UnZigZag32(uint value) => (value >> 1) ^ (uint)-(int)(value & 1);

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var written = 0;
        while (value >= 0x80)
        {
            destination[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[written++] = (byte)value;
        return written;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> source, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= source.Length)
            {
                throw new InvalidDataException("A raw chunk ends inside a number.");
            }

            var next = source[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A raw chunk holds a number longer than 64 bits.");
    }
}
