using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// A batch's six column arrays as one byte array: six lengths (Int32, little endian; -1 for a
/// missing array), then each array's elements in order (times, ids, valid flags as 0/1,
/// voltages, currents, powers), little endian. Each array keeps its own length, so a malformed
/// batch arrives as it was sent and the meter's rules refuse it with the same message.
/// </summary>
public static class FrameBatchPayload
{
    private const int Arrays = 6;
    private const int HeaderBytes = Arrays * sizeof(int);

    /// <summary>The columns of a packed batch.</summary>
    public readonly record struct Unpacked(
        long[] TimesUnixMicroseconds, int[] FrameIds, bool[] Valid, float[] VoltagesVolts, float[] CurrentsAmperes, float[] PowersWatts);

    public static byte[] Pack(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("frame batches are packed little endian");
        }

        var length = HeaderBytes
            + Bytes(batch.TimesUnixMicroseconds) + Bytes(batch.FrameIds) + (batch.Valid?.Length ?? 0)
            + Bytes(batch.VoltagesVolts) + Bytes(batch.CurrentsAmperes) + Bytes(batch.PowersWatts);
        var packed = GC.AllocateUninitializedArray<byte>(length);
        var span = packed.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, batch.TimesUnixMicroseconds?.Length ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], batch.FrameIds?.Length ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], batch.Valid?.Length ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], batch.VoltagesVolts?.Length ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], batch.CurrentsAmperes?.Length ?? -1);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], batch.PowersWatts?.Length ?? -1);
        var offset = HeaderBytes;
        offset += Copy(batch.TimesUnixMicroseconds, span[offset..]);
        offset += Copy(batch.FrameIds, span[offset..]);
        offset += Copy(batch.Valid, span[offset..]);
        offset += Copy(batch.VoltagesVolts, span[offset..]);
        offset += Copy(batch.CurrentsAmperes, span[offset..]);
        Copy(batch.PowersWatts, span[offset..]);
        return packed;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="packed"/> is not what <see cref="Pack"/> makes.</summary>
    public static Unpacked Unpack(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("frame batches are packed little endian");
        }

        ReadOnlySpan<byte> span = packed;
        if (span.Length < HeaderBytes)
        {
            throw new ArgumentException("a packed frame batch is too short for its header", nameof(packed));
        }

        var offset = HeaderBytes;
        var times = Read<long>(span, 0, ref offset);
        var ids = Read<int>(span, 1, ref offset);
        var validBytes = Read<byte>(span, 2, ref offset);
        var volts = Read<float>(span, 3, ref offset);
        var currents = Read<float>(span, 4, ref offset);
        var powers = Read<float>(span, 5, ref offset);
        if (offset != span.Length)
        {
            throw new ArgumentException("a packed frame batch is longer than its columns", nameof(packed));
        }

        bool[]? valid = null;
        if (validBytes is not null)
        {
            // A byte other than 0 or 1 would make a bool that compares unequal to true.
            valid = new bool[validBytes.Length];
            for (var k = 0; k < valid.Length; k++)
            {
                valid[k] = validBytes[k] != 0;
            }
        }

        return new Unpacked(times!, ids!, valid!, volts!, currents!, powers!);
    }

    private static int Bytes<T>(T[]? values)
        where T : unmanaged => values is null ? 0 : values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    private static int Copy<T>(T[]? values, Span<byte> destination)
        where T : unmanaged
    {
        if (values is null)
        {
            return 0;
        }

        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private static T[]? Read<T>(ReadOnlySpan<byte> packed, int index, ref int offset)
        where T : unmanaged
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(packed[(index * sizeof(int))..]);
        if (count < 0)
        {
            return count == -1 ? null : throw new ArgumentException("a packed frame batch has a negative length", nameof(packed));
        }

        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if ((long)count * size > packed.Length - offset)
        {
            throw new ArgumentException("a packed frame batch is shorter than its columns", nameof(packed));
        }

        var values = GC.AllocateUninitializedArray<T>(count);
        packed.Slice(offset, count * size).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        offset += count * size;
        return values;
    }
}
