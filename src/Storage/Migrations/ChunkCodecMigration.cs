using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.Storage.Migrations;

/// <summary>
/// The code step of migration 0011: re-encodes every chunk of the old array layout
/// (<c>sample_chunks_arrays</c>) into the compact codec, page by page in key order, inside the
/// migration's transaction, then drops the old table. Each old row becomes one new row with the
/// same key, so what is stored, frame for frame and bit for bit, does not change.
/// </summary>
internal static class ChunkCodecMigration
{
    private const int RowsPerPage = 2_000;

    public static async Task ConvertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var copy = new ChunkCopy();
        (string Box, DateTimeOffset Second, int FirstOffset)? after = null;
        while (true)
        {
            var page = await ReadPageAsync(connection, transaction, after, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            await using (var days = new NpgsqlCommand("SELECT fleet_ensure_raw_partition(d) FROM unnest(@days) AS d", connection, transaction))
            {
                days.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("days", [.. page.Select(r => r.Second).Distinct()]));
                await days.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var import = await connection.BeginBinaryImportAsync(ChunkCopy.CopySql, cancellationToken).ConfigureAwait(false))
            {
                foreach (var row in page)
                {
                    await copy.WriteRowAsync(import, row.Box, row.Second.ToUnixTimeSeconds(), row.Columns, 0, row.Columns.Count, cancellationToken).ConfigureAwait(false);
                }

                await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (page.Count < RowsPerPage)
            {
                break;
            }

            after = (page[^1].Box, page[^1].Second, page[^1].FirstOffset);
        }

        await using var finish = new NpgsqlCommand("""
            DROP TABLE sample_chunks_arrays;
            DO $owner$
            DECLARE
                t record;
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_app') THEN
                    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'fleet_app'
                             AND tablename LIKE 'sample\_chunks\_%' LOOP
                        EXECUTE format('ALTER TABLE public.%I OWNER TO fleet_app', t.tablename);
                    END LOOP;
                END IF;
            END
            $owner$;
            """, connection, transaction);
        await finish.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<(string Box, DateTimeOffset Second, int FirstOffset, FrameColumns Columns)>> ReadPageAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, (string Box, DateTimeOffset Second, int FirstOffset)? after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT box_id, second, first_offset_us, plugs, offsets_us, frame_ids, valid, voltages, currents, powers
            FROM sample_chunks_arrays
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
}
