using Fleet.OmegaWatt.Protocol;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Storage.Samples;

/// <summary>
/// Stores blocks of frames losslessly, exactly once: one transaction moves the source's
/// high-water mark, copies the raw per-second chunks with binary COPY, and updates the
/// per-second rollups. A retried block (sequence at or below the mark) changes nothing.
/// </summary>
public sealed class SampleWriter
{
    private const long MicrosecondsPerSecond = 1_000_000;

    /// <summary>The check that bounds a box's frames per second (migration 0006).</summary>
    public const string FramesPerSecondConstraint = "power_1s_frames_per_second";
    private readonly NpgsqlDataSource _dataSource;

    public SampleWriter(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Writes the block; false when it was already stored (a retry).</summary>
    public async Task<bool> WriteAsync(SampleBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await AdvanceMarkAsync(connection, transaction, block, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (block.Count > 0)
        {
            await EnsureBoxAsync(connection, transaction, block, cancellationToken).ConfigureAwait(false);
            await CopyChunksAsync(connection, block, cancellationToken).ConfigureAwait(false);
            await UpsertRollupsAsync(connection, transaction, block, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> AdvanceMarkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SampleBlock block, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest_positions AS p (box_id, source_id, last_sequence, writer_id, agent_host) VALUES (@box, @source, @sequence, @writer, @host)
            ON CONFLICT (box_id, source_id) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = now()
                WHERE p.last_sequence < excluded.last_sequence
            RETURNING 1
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("box", block.BoxId));
        command.Parameters.Add(new NpgsqlParameter<string>("source", block.SourceId));
        command.Parameters.Add(new NpgsqlParameter<long>("sequence", block.Sequence));
        command.Parameters.Add(new NpgsqlParameter<string>("writer", block.WriterId));
        command.Parameters.Add(new NpgsqlParameter<string>("host", block.AgentHost));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task EnsureBoxAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SampleBlock block, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO boxes (box_id, plugs) VALUES (@box, @plugs) ON CONFLICT (box_id) DO NOTHING", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("box", block.BoxId));
        command.Parameters.Add(new NpgsqlParameter<short>("plugs", (short)block.Plugs));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyChunksAsync(NpgsqlConnection connection, SampleBlock block, CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY sample_chunks (box_id, second, first_offset_us, plugs, offsets_us, frame_ids, valid, voltages, currents, powers) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false);
        var plugs = block.Plugs;
        foreach (var (start, count, second) in Seconds(block))
        {
            var offsets = new int[count];
            for (var k = 0; k < count; k++)
            {
                offsets[k] = (int)(block.TimesUnixMicroseconds[start + k] - (second * MicrosecondsPerSecond));
            }

            await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(block.BoxId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(DateTimeOffset.FromUnixTimeSeconds(second), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(offsets[0], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync((short)plugs, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(offsets, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(block.FrameIds[start..(start + count)], NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(block.Valid[start..(start + count)], NpgsqlDbType.Array | NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(block.VoltagesVolts[(3 * start)..(3 * (start + count))], NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(block.CurrentsAmperes[(plugs * start)..(plugs * (start + count))], NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(block.PowersWatts[(plugs * start)..(plugs * (start + count))], NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
        }

        // Without CompleteAsync the import is rolled back.
        await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpsertRollupsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SampleBlock block, CancellationToken cancellationToken)
    {
        var sockets = new List<short>();
        var seconds = new List<DateTimeOffset>();
        var frames = new List<int>();
        var joules = new List<double>();
        var minimum = new List<float>();
        var maximum = new List<float>();
        foreach (var (start, count, second) in Seconds(block))
        {
            for (var plug = 0; plug < block.Plugs; plug++)
            {
                var valid = 0;
                double sum = 0;
                var low = float.PositiveInfinity;
                var high = float.NegativeInfinity;
                for (var k = start; k < start + count; k++)
                {
                    if (!block.Valid[k])
                    {
                        continue;
                    }

                    var watts = block.PowersWatts[(k * block.Plugs) + plug];
                    valid++;
                    sum += watts * FrameLayout.FramePeriodSeconds;
                    low = Math.Min(low, watts);
                    high = Math.Max(high, watts);
                }

                if (valid == 0)
                {
                    continue;
                }

                sockets.Add((short)(plug + 1));
                seconds.Add(DateTimeOffset.FromUnixTimeSeconds(second));
                frames.Add(valid);
                joules.Add(sum);
                minimum.Add(low);
                maximum.Add(high);
            }
        }

        // A second split across two blocks is merged: rollups stay the exact sum of its frames.
        await using var command = new NpgsqlCommand("""
            INSERT INTO power_1s AS r (box_id, socket, second, frames, joules, min_w, max_w)
            SELECT @box, s.socket, s.second, s.frames, s.joules, s.min_w, s.max_w
            FROM unnest(@sockets, @seconds, @frames, @joules, @min, @max) AS s(socket, second, frames, joules, min_w, max_w)
            ON CONFLICT (box_id, socket, second) DO UPDATE SET
                frames = r.frames + excluded.frames,
                joules = r.joules + excluded.joules,
                min_w = least(r.min_w, excluded.min_w),
                max_w = greatest(r.max_w, excluded.max_w)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("box", block.BoxId));
        command.Parameters.Add(new NpgsqlParameter<short[]>("sockets", [.. sockets]));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("seconds", [.. seconds]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("frames", [.. frames]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("joules", [.. joules]));
        command.Parameters.Add(new NpgsqlParameter<float[]>("min", [.. minimum]));
        command.Parameters.Add(new NpgsqlParameter<float[]>("max", [.. maximum]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Splits the block into runs of frames that fall in the same UTC second.</summary>
    private static IEnumerable<(int Start, int Count, long Second)> Seconds(SampleBlock block)
    {
        var start = 0;
        while (start < block.Count)
        {
            var second = Math.DivRem(block.TimesUnixMicroseconds[start], MicrosecondsPerSecond, out var rest) - (rest < 0 ? 1 : 0);
            var end = start + 1;
            while (end < block.Count && block.TimesUnixMicroseconds[end] < (second + 1) * MicrosecondsPerSecond)
            {
                end++;
            }

            yield return (start, end - start, second);
            start = end;
        }
    }
}
