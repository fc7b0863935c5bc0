using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.AgentHost.Spooling;

/// <summary>
/// The spool's record format: <c>[u32 length][u32 CRC-32][payload]</c>, payload a versioned
/// little-endian encoding of a <see cref="FrameBatch"/> (strings as <see cref="BinaryWriter"/>
/// writes them). The CRC finds a record torn by a crash or a full disk, so replay stops there
/// instead of sending garbage.
/// </summary>
internal static class FrameBatchCodec
{
    public const int RecordHeaderLength = 8;

    /// <summary>Version 2 added the writer id; version 1 records (older spools) are still read.</summary>
    private const byte Version = 2;

    /// <summary>Far above any real batch (100 frames × 48 plugs is ~45 KiB): a larger length is a torn header, not a record.</summary>
    private const int MaxPayloadLength = 64 << 20;

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

    /// <summary>
    /// The payload length announced by a record header, or -1 when it cannot be a record
    /// (a torn or overwritten header), so a reader knows how much to read before checking it.
    /// </summary>
    public static int PayloadLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        return length is 0 or > MaxPayloadLength ? -1 : (int)length;
    }

    /// <summary>Reads the record at the start of <paramref name="bytes"/>; false when it is incomplete or corrupt.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out FrameBatch? batch, out int recordLength)
    {
        batch = null;
        if (!TryCheck(bytes, out var body, out recordLength))
        {
            return false;
        }

        var reader = new PayloadReader(body);
        if (!TryReadHeader(ref reader, out var header))
        {
            recordLength = 0;
            return false;
        }

        var count = header.Frames;
        var plugs = header.Plugs;
        if (reader.Remaining != (count * (sizeof(long) + sizeof(int) + sizeof(bool) + (3 * sizeof(float)))) + (2L * plugs * count * sizeof(float)))
        {
            recordLength = 0;
            return false;
        }

        batch = new FrameBatch(
            header.SourceId,
            header.Sequence,
            plugs,
            reader.Read<long>(count),
            reader.Read<int>(count),
            reader.Read<bool>(count),
            reader.Read<float>(3 * count),
            reader.Read<float>(plugs * count),
            reader.Read<float>(plugs * count),
            header.FramesMissingById,
            header.FramesBadCheck,
            header.AgentHost,
            header.WriterId);
        return true;
    }

    /// <summary>
    /// Checks the record at the start of <paramref name="bytes"/> and reads only what the spool's
    /// index keeps (source id, sequence, frame count), without building the batch's arrays.
    /// </summary>
    public static bool TryReadIndex(ReadOnlySpan<byte> bytes, out string sourceId, out long sequence, out int frames, out int recordLength)
    {
        sourceId = string.Empty;
        sequence = 0;
        frames = 0;
        if (!TryCheck(bytes, out var body, out recordLength))
        {
            return false;
        }

        var reader = new PayloadReader(body);
        if (!TryReadHeader(ref reader, out var header))
        {
            recordLength = 0;
            return false;
        }

        sourceId = header.SourceId;
        sequence = header.Sequence;
        frames = header.Frames;
        return true;
    }

    private static bool TryCheck(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> body, out int recordLength)
    {
        body = default;
        recordLength = 0;
        if (bytes.Length < RecordHeaderLength)
        {
            return false;
        }

        var length = PayloadLength(bytes);
        if (length < 0 || length > bytes.Length - RecordHeaderLength)
        {
            return false;
        }

        body = bytes.Slice(RecordHeaderLength, length);
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]))
        {
            return false;
        }

        recordLength = RecordHeaderLength + length;
        return true;
    }

    private static bool TryReadHeader(ref PayloadReader reader, out Header header)
    {
        header = default;
        if (!reader.TryRead(out byte version) || version is not (1 or Version)
            || !reader.TryReadString(out var sourceId)
            || !reader.TryReadString(out var agentHost))
        {
            return false;
        }

        // A version 1 batch predates writer ids: its run is its own writer.
        var writerId = sourceId;
        if (version == Version && !reader.TryReadString(out writerId))
        {
            return false;
        }

        if (!reader.TryRead(out long sequence) || !reader.TryRead(out int plugs) || !reader.TryRead(out int count)
            || !reader.TryRead(out long missing) || !reader.TryRead(out long badCheck)
            || plugs is < 0 or > 1024 || count is < 0 or > 1 << 20)
        {
            return false;
        }

        header = new Header(sourceId, agentHost, writerId, sequence, plugs, count, missing, badCheck);
        return true;
    }

    private readonly record struct Header(string SourceId, string AgentHost, string WriterId, long Sequence, int Plugs, int Frames, long FramesMissingById, long FramesBadCheck);

    /// <summary>Reads a payload in place: no copy of the record, no exception on a short one.</summary>
    private ref struct PayloadReader(ReadOnlySpan<byte> payload)
    {
        private ReadOnlySpan<byte> _rest = payload;

        public readonly int Remaining => _rest.Length;

        public bool TryRead<T>(out T value)
            where T : unmanaged
        {
            if (_rest.Length < Unsafe.SizeOf<T>())
            {
                value = default;
                return false;
            }

            value = MemoryMarshal.Read<T>(_rest);
            _rest = _rest[Unsafe.SizeOf<T>()..];
            return true;
        }

        /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it: a 7-bit encoded byte length, then UTF-8.</summary>
        public bool TryReadString(out string value)
        {
            value = string.Empty;
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 28 || !TryRead(out byte part))
                {
                    return false;
                }

                length |= (part & 0x7F) << shift;
                if ((part & 0x80) == 0)
                {
                    break;
                }
            }

            if (length < 0 || length > _rest.Length)
            {
                return false;
            }

            value = Encoding.UTF8.GetString(_rest[..length]);
            _rest = _rest[length..];
            return true;
        }

        public T[] Read<T>(int count)
            where T : unmanaged
        {
            var values = new T[count];
            var bytes = MemoryMarshal.AsBytes(values.AsSpan());
            _rest[..bytes.Length].CopyTo(bytes);
            _rest = _rest[bytes.Length..];
            return values;
        }
    }
}
