using System.Buffers;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Storage.Samples;

/// <summary>
/// Writes raw chunks into a binary COPY of <c>sample_chunks</c> (migration 0011): the one place
/// that knows the chunk row, shared by the sample writer and the migration that re-encodes old
/// chunks. Reuses one encode buffer across rows.
/// </summary>
public sealed class ChunkCopy
{
    public const string CopySql =
        "COPY sample_chunks (box_id, second, first_offset_us, last_offset_us, first_frame_id, frames, valid_frames, plugs, data) FROM STDIN (FORMAT BINARY)";

    private const long MicrosecondsPerSecond = 1_000_000;

    private readonly ArrayBufferWriter<byte> _data = new(8 * 1024);

    /// <summary>
    /// Most frames one row holds (its counts are smallint). A box sends about 100 a second, and
    /// the rollups refuse more than 120, but a second of an old import may hold more: it becomes
    /// several rows, keyed by their first frames' offsets.
    /// </summary>
    public const int MaxFramesPerRow = 4_096;

    /// <summary>
    /// Writes frames [<paramref name="start"/>, start + <paramref name="count"/>) of
    /// <paramref name="columns"/>, all in UTC second <paramref name="second"/> (Unix seconds), as
    /// one row, or several of <see cref="MaxFramesPerRow"/> frames at most.
    /// </summary>
    public async Task WriteRowsAsync(NpgsqlBinaryImporter import, string boxId, long second, FrameColumns columns, int start, int count, CancellationToken cancellationToken = default)
    {
        for (var from = start; from < start + count; from += MaxFramesPerRow)
        {
            await WriteRowAsync(import, boxId, second, columns, from, Math.Min(MaxFramesPerRow, start + count - from), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteRowAsync(NpgsqlBinaryImporter import, string boxId, long second, FrameColumns columns, int start, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(columns);
        var secondStart = second * MicrosecondsPerSecond;
        var valid = 0;
        for (var k = start; k < start + count; k++)
        {
            valid += columns.Valid[k] ? 1 : 0;
        }

        ChunkCodec.Encode(columns, start, count, _data);
        await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
        await import.WriteAsync(boxId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync(DateTimeOffset.FromUnixTimeSeconds(second), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((int)(columns.TimesUnixMicroseconds[start] - secondStart), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((int)(columns.TimesUnixMicroseconds[start + count - 1] - secondStart), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync(columns.FrameIds[start], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((short)count, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((short)valid, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync((short)columns.Plugs, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
        await import.WriteAsync(_data.WrittenMemory, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
    }
}
