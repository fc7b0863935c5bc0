using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace Fleet.OmegaWatt.Protocol;

/// <summary>The frame's check byte: XOR of the two length bytes and every payload byte.</summary>
public static class CheckByte
{
    public static byte Compute(ReadOnlySpan<byte> bytes)
    {
        // XOR is associative, so fold wide lanes first and bytes last: a 36-plug frame is
        // 312 bytes and this runs once per frame on the hot path.
        var i = 0;
        ulong wide = 0;
        if (Vector128.IsHardwareAccelerated && bytes.Length >= Vector128<byte>.Count)
        {
            var acc = Vector128<byte>.Zero;
            for (; i <= bytes.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                acc ^= Vector128.Create(bytes.Slice(i, Vector128<byte>.Count));
            }

            var lanes = acc.AsUInt64();
            wide = lanes.GetElement(0) ^ lanes.GetElement(1);
        }

        for (; i <= bytes.Length - sizeof(ulong); i += sizeof(ulong))
        {
            wide ^= BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]);
        }

        wide ^= wide >> 32;
        wide ^= wide >> 16;
        wide ^= wide >> 8;
        var check = (byte)wide;
        for (; i < bytes.Length; i++)
        {
            check ^= bytes[i];
        }

        return check;
    }
}
