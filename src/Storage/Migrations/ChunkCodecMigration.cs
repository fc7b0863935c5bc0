using Fleet.Storage.Samples;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fleet.Storage.Migrations;

/// <summary>
/// The code step of migration 0011: re-encodes every chunk of the old array layout
/// (<c>sample_chunks_arrays</c>) into the compact codec, one old daily partition per transaction
/// (converted, then dropped), so a large database is converted a day at a time, in bounded locks
/// and disk, and a silo stopped halfway carries on at its next start. Each old row becomes new
/// rows with the same frames, bit for bit.
/// </summary>
internal static partial class ChunkCodecMigration
{
    private const int RowsPerPage = 2_000;

    public static async Task ConvertAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('public.sample_chunks_arrays') IS NOT NULL", connection))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return;
            }
        }

        var partitions = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'public.sample_chunks_arrays'::regclass ORDER BY c.relname
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                partitions.Add(reader.GetString(0));
            }
        }

        var copy = new ChunkCopy();
        for (var k = 0; k < partitions.Count; k++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var rows = await ConvertPartitionAsync(connection, transaction, partitions[k], copy, cancellationToken).ConfigureAwait(false);
            await using (var drop = new NpgsqlCommand($"DROP TABLE public.\"{partitions[k]}\"", connection, transaction))
            {
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogConverted(logger, partitions[k], rows, k + 1, partitions.Count);
        }

        // Partitions made above belong to whoever migrates; retention (run as fleet_app) drops them.
        await using var finish = new NpgsqlCommand("""
            DO $owner$
            DECLARE
                t record;
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
                    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'fleet_app'
                             AND tablename LIKE 'sample\_chunks\_%' AND tablename NOT LIKE 'sample\_chunks\_arrays%' LOOP
                        EXECUTE format('ALTER TABLE public.%I OWNER TO fleet_app', t.tablename);
                    END LOOP;
                END IF;
            END
            $owner$;
            DROP TABLE sample_chunks_arrays;
            """, connection);
        await finish.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-encodes one old partition's rows into the new table; returns how many rows it read.</summary>
    private static async Task<long> ConvertPartitionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, ChunkCopy copy, CancellationToken cancellationToken)
    {
        var rows = 0L;
        (string Box, DateTimeOffset Second, int FirstOffset)? after = null;
        while (true)
        {
            var page = await ReadPageAsync(connection, transaction, partition, after, cancellationToken).ConfigureAwait(false);
            rows += page.Count;

            // Rows with no frames (never written by Fleet) hold nothing to carry over.
            var chunks = page.Where(r => r.Columns.Count > 0).ToList();
            if (chunks.Count > 0)
            {
                await using (var days = new NpgsqlCommand("SELECT fleet_ensure_raw_partition(d) FROM unnest(@days) AS d", connection, transaction))
                {
                    days.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("days", [.. chunks.Select(r => r.Second).Distinct()]));
                    await days.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var import = await connection.BeginBinaryImportAsync(ChunkCopy.CopySql, cancellationToken).ConfigureAwait(false);
                foreach (var row in chunks)
                {
                    await copy.WriteRowsAsync(import, row.Box, row.Second.ToUnixTimeSeconds(), row.Columns, 0, row.Columns.Count, cancellationToken).ConfigureAwait(false);
                }

                await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (page.Count < RowsPerPage)
            {
                return rows;
            }

            after = (page[^1].Box, page[^1].Second, page[^1].FirstOffset);
        }
    }

    private static async Task<List<(string Box, DateTimeOffset Second, int FirstOffset, FrameColumns Columns)>> ReadPageAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, (string Box, DateTimeOffset Second, int FirstOffset)? after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT box_id, second, first_offset_us, plugs, offsets_us, frame_ids, valid, voltages, currents, powers
            FROM public."{partition}"
            {(after is null ? string.Empty : "WHERE (box_id, second, first_offset_us) > (@box, @second, @offset)")}
            ORDER BY box_id, second, first_offset_us
            LIMIT {RowsPerPage}
            """, connection, transaction);
        if (after is { } key)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("box", key.Box));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("second", key.Second));
            command.Parameters.Add(new NpgsqlParameter<int>("offset", key.FirstOffset));
        }

        var page = new List<(string, DateTimeOffset, int, FrameColumns)>(RowsPerPage);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var second = reader.GetFieldValue<DateTimeOffset>(1);
            var offsets = reader.GetFieldValue<int[]>(4);
            var secondMicroseconds = UnixMicroseconds.Floor(second);
            var times = new long[offsets.Length];
            for (var k = 0; k < offsets.Length; k++)
            {
                times[k] = secondMicroseconds + offsets[k];
            }

            page.Add((
                reader.GetString(0),
                second,
                reader.GetInt32(2),
                new FrameColumns(
                    reader.GetInt16(3),
                    times,
                    reader.GetFieldValue<int[]>(5),
                    reader.GetFieldValue<bool[]>(6),
                    reader.GetFieldValue<float[]>(7),
                    reader.GetFieldValue<float[]>(8),
                    reader.GetFieldValue<float[]>(9))));
        }

        return page;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration 0011: re-encoded raw partition {Partition} ({Rows} rows), {Done} of {Total}")]
    private static partial void LogConverted(ILogger logger, string partition, long rows, int done, int total);
}
