using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.AgentHost.Spooling;

/// <summary>
/// The spool's record format: <c>[u32 length][u32 CRC-32][payload]</c>, payload a versioned
/// little-endian encoding of a <see cref="FrameBatch"/>. The CRC finds a record torn by a crash
/// or a full disk, so replay stops there instead of sending garbage.
/// </summary>
internal static class FrameBatchCodec
{
    public const int RecordHeaderLength = 8;
    /// <summary>Version 2 added the writer id; version 1 records (older spools) are still read.</summary>
    private const byte Version = 2;

    public static byte[] Encode(FrameBatch batch)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(batch.SourceId);
            writer.Write(batch.AgentHost);
            writer.Write(batch.WriterId);
            writer.Write(batch.Sequence);
            writer.Write(batch.Plugs);
            writer.Write(batch.Count);
            writer.Write(batch.FramesMissingById);
            writer.Write(batch.FramesBadCheck);
            writer.Write(MemoryMarshal.AsBytes(batch.TimesUnixMicroseconds.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.FrameIds.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.Valid.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.VoltagesVolts.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.CurrentsAmperes.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.PowersWatts.AsSpan()));
        }

        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var record = new byte[RecordHeaderLength + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(record.AsSpan(RecordHeaderLength));
        return record;
    }

    /// <summary>Reads the record at the start of <paramref name="bytes"/>; false when it is incomplete or corrupt.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out FrameBatch? batch, out int recordLength)
    {
        batch = null;
        recordLength = 0;
        if (bytes.Length < RecordHeaderLength)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (length > bytes.Length - RecordHeaderLength)
        {
            return false;
        }

        var body = bytes.Slice(RecordHeaderLength, (int)length);
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]))
        {
            return false;
        }

        using var reader = new BinaryReader(new MemoryStream(body.ToArray()), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version is not (1 or Version))
        {
            return false;
        }

        var sourceId = reader.ReadString();
        var agentHost = reader.ReadString();
        // A version 1 batch predates writer ids: its run is its own writer.
        var writerId = version == 1 ? sourceId : reader.ReadString();
        var sequence = reader.ReadInt64();
        var plugs = reader.ReadInt32();
        var count = reader.ReadInt32();
        var missing = reader.ReadInt64();
        var badCheck = reader.ReadInt64();
        batch = new FrameBatch(
            sourceId,
            sequence,
            plugs,
            Read<long>(reader, count),
            Read<int>(reader, count),
            Read<bool>(reader, count),
            Read<float>(reader, 3 * count),
            Read<float>(reader, plugs * count),
            Read<float>(reader, plugs * count),
            missing,
            badCheck,
            agentHost,
            writerId);
        recordLength = RecordHeaderLength + (int)length;
        return true;
    }

    private static T[] Read<T>(BinaryReader reader, int count)
        where T : unmanaged
    {
        var values = new T[count];
        reader.Read(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
