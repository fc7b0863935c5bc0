using Fleet.OmegaWatt.Protocol;
using Npgsql;

namespace Fleet.Storage.Samples;

/// <summary>
/// Stores blocks of frames losslessly, exactly once: one transaction moves each source's
/// high-water mark, copies the raw per-second chunks with binary COPY, and updates the
/// rollups (per second, minute and hour). A retried block (sequence at or below the mark) changes nothing.
/// </summary>
/// <remarks>
/// Group commit: blocks of many boxes that arrive while a transaction is in flight wait for the
/// next one and share it — one mark statement, one COPY, one rollup statement and one commit for
/// all of them. No timer adds latency: a block that finds nothing in flight starts a commit at
/// once. Exactly-once stays per box: every block moves its own source's mark in the shared
/// transaction, and a meter writes one block at a time, so a group never holds two blocks of a
/// box. When the database refuses a group for good (a block over a bound), each of its blocks is
/// written alone, so only the culprit fails.
/// </remarks>
public sealed class SampleWriter
{
    private const long MicrosecondsPerSecond = 1_000_000;
    private const long SecondsPerDay = 86_400;

    /// <summary>Most blocks one transaction takes; the rest wait for the next.</summary>
    public const int MaxBlocksPerCommit = 256;

    /// <summary>Most frames one transaction takes (the first block always goes, whatever its size).</summary>
    public const int MaxFramesPerCommit = 100_000;

    /// <summary>The check that bounds a box's frames per second (migration 0006).</summary>
    public const string FramesPerSecondConstraint = "power_1s_frames_per_second";

    // One statement for every level: a second split across two blocks is merged, and the
    // minutes and hours take the same per-second sums, so each level stays the exact sum of
    // its frames and the levels agree with each other (migration 0008).
    private const string RollupSql = """
        WITH s AS (
            SELECT * FROM unnest(@boxes, @sockets, @seconds, @frames, @joules, @min, @max)
                AS u(box_id, socket, second, frames, joules, min_w, max_w)),
        seconds AS (
            INSERT INTO power_1s AS r (box_id, socket, second, frames, joules, min_w, max_w)
            SELECT * FROM s
            ON CONFLICT (box_id, socket, second) DO UPDATE SET
                frames = r.frames + excluded.frames,
                joules = r.joules + excluded.joules,
                min_w = least(r.min_w, excluded.min_w),
                max_w = greatest(r.max_w, excluded.max_w)),
        minutes AS (
            INSERT INTO power_1m AS r (box_id, socket, minute, frames, joules, min_w, max_w, first_second, last_second)
            SELECT box_id, socket, date_trunc('minute', second, 'UTC'), sum(frames), sum(joules), min(min_w), max(max_w), min(second), max(second)
            FROM s GROUP BY 1, 2, 3
            ON CONFLICT (box_id, socket, minute) DO UPDATE SET
                frames = r.frames + excluded.frames,
                joules = r.joules + excluded.joules,
                min_w = least(r.min_w, excluded.min_w),
                max_w = greatest(r.max_w, excluded.max_w),
                first_second = least(r.first_second, excluded.first_second),
                last_second = greatest(r.last_second, excluded.last_second))
        INSERT INTO power_1h AS r (box_id, socket, hour, frames, joules, min_w, max_w, first_second, last_second)
        SELECT box_id, socket, date_trunc('hour', second, 'UTC'), sum(frames), sum(joules), min(min_w), max(max_w), min(second), max(second)
        FROM s GROUP BY 1, 2, 3
        ON CONFLICT (box_id, socket, hour) DO UPDATE SET
            frames = r.frames + excluded.frames,
            joules = r.joules + excluded.joules,
            min_w = least(r.min_w, excluded.min_w),
            max_w = greatest(r.max_w, excluded.max_w),
            first_second = least(r.first_second, excluded.first_second),
            last_second = greatest(r.last_second, excluded.last_second)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> _partitionDays = new();
    private readonly List<Pending> _waiting = [];
    private readonly ChunkCopy _copy = new();
    private bool _committing;

    public SampleWriter(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>
    /// Writes the block, in the next group commit; false when it was already stored (a retry).
    /// <paramref name="cancellationToken"/> is not honoured once the block waits for a commit it
    /// shares with other boxes.
    /// </summary>
    public Task<bool> WriteAsync(SampleBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(block);
        bool start;
        lock (_gate)
        {
            _waiting.Add(pending);
            start = !_committing;
            _committing = true;
        }

        if (start)
        {
            // On the thread pool, never on the calling grain's scheduler: this loop serves every box.
            _ = Task.Run(CommitWhileWaitingAsync, CancellationToken.None);
        }

        return pending.Stored.Task;
    }

    private async Task CommitWhileWaitingAsync()
    {
        while (true)
        {
            List<Pending> group;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _committing = false;
                    return;
                }

                group = TakeGroup();
            }

            await CommitAsync(group).ConfigureAwait(false);
        }
    }

    private List<Pending> TakeGroup()
    {
        var count = 0;
        var frames = 0L;
        while (count < _waiting.Count && count < MaxBlocksPerCommit && (count == 0 || frames + _waiting[count].Block.Count <= MaxFramesPerCommit))
        {
            frames += _waiting[count].Block.Count;
            count++;
        }

        var group = _waiting.GetRange(0, count);
        _waiting.RemoveRange(0, count);
        return group;
    }

    private async Task CommitAsync(List<Pending> group)
    {
        try
        {
            var stored = await WriteGroupAsync(group).ConfigureAwait(false);
            for (var k = 0; k < group.Count; k++)
            {
                group[k].Stored.TrySetResult(stored[k]);
            }
        }
        catch (PostgresException error) when (group.Count > 1 && !error.IsTransient)
        {
            // A refusal of the data itself: find whose, each block in a transaction of its own.
            foreach (var pending in group)
            {
                try
                {
                    pending.Stored.TrySetResult((await WriteGroupAsync([pending]).ConfigureAwait(false))[0]);
                }
                catch (Exception alone)
                {
                    pending.Stored.TrySetException(alone);
                }
            }
        }
        catch (Exception error)
        {
            foreach (var pending in group)
            {
                pending.Stored.TrySetException(error);
            }
        }
    }

    /// <summary>One transaction for the group; per block, whether it was stored (false: already stored, by its sequence).</summary>
    private async Task<bool[]> WriteGroupAsync(List<Pending> group)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            return await WriteGroupAsync(connection, group).ConfigureAwait(false);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.CheckViolation && error.ConstraintName is null)
        {
            // No partition for a day this silo thought it had made: retention dropped it since.
            _partitionDays.Clear();
            return await WriteGroupAsync(connection, group).ConfigureAwait(false);
        }
    }

    private async Task<bool[]> WriteGroupAsync(NpgsqlConnection connection, List<Pending> group)
    {
        await EnsurePartitionsAsync(connection, group).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var stored = await AdvanceMarksAsync(connection, transaction, group).ConfigureAwait(false);
        var blocks = group.Where((_, k) => stored[k]).Select(p => p.Block).Where(b => b.Count > 0).ToList();
        if (blocks.Count > 0)
        {
            await EnsureBoxesAsync(connection, transaction, blocks).ConfigureAwait(false);
            await CopyChunksAsync(connection, blocks).ConfigureAwait(false);
            await UpsertRollupsAsync(connection, transaction, blocks).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// Makes the daily raw partitions the group's frames fall in (migration 0009), outside the
    /// group's transaction so its lock on the parent table is held for an instant only.
    /// </summary>
    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, List<Pending> group)
    {
        var missing = new HashSet<long>();
        foreach (var block in group.Select(p => p.Block).Where(b => b.Count > 0))
        {
            var last = Day(block.TimesUnixMicroseconds[^1]);
            for (var day = Day(block.TimesUnixMicroseconds[0]); day <= last; day++)
            {
                if (!_partitionDays.ContainsKey(day))
                {
                    missing.Add(day);
                }
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT fleet_ensure_raw_partition(d) FROM unnest(@days) AS d", connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("days", [.. missing.Select(d => DateTimeOffset.FromUnixTimeSeconds(d * SecondsPerDay))]));
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        foreach (var day in missing)
        {
            _partitionDays.TryAdd(day, true);
        }
    }

    /// <summary>Forgets which raw partitions exist, after retention dropped some.</summary>
    public void ForgetPartitions() => _partitionDays.Clear();

    private static long Day(long unixMicroseconds) => Math.DivRem(unixMicroseconds, MicrosecondsPerSecond * SecondsPerDay, out var rest) - (rest < 0 ? 1 : 0);

    private static async Task<bool[]> AdvanceMarksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Pending> group)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest_positions AS p (box_id, source_id, last_sequence, writer_id, agent_host)
            SELECT * FROM unnest(@boxes, @sources, @sequences, @writers, @hosts)
            ON CONFLICT (box_id, source_id) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = now()
                WHERE p.last_sequence < excluded.last_sequence
            RETURNING box_id, source_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("boxes", [.. group.Select(p => p.Block.BoxId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("sources", [.. group.Select(p => p.Block.SourceId)]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("sequences", [.. group.Select(p => p.Block.Sequence)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("writers", [.. group.Select(p => p.Block.WriterId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("hosts", [.. group.Select(p => p.Block.AgentHost)]));
        var advanced = new HashSet<(string, string)>();
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                advanced.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return [.. group.Select(p => advanced.Contains((p.Block.BoxId, p.Block.SourceId)))];
    }

    private static async Task EnsureBoxesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SampleBlock> blocks)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO boxes (box_id, plugs) SELECT * FROM unnest(@boxes, @plugs) ON CONFLICT (box_id) DO NOTHING", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("boxes", [.. blocks.Select(b => b.BoxId)]));
        command.Parameters.Add(new NpgsqlParameter<short[]>("plugs", [.. blocks.Select(b => (short)b.Plugs)]));
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task CopyChunksAsync(NpgsqlConnection connection, List<SampleBlock> blocks)
    {
        // One commit loop runs at a time, so one encode buffer serves every row.
        await using var import = await connection.BeginBinaryImportAsync(ChunkCopy.CopySql).ConfigureAwait(false);
        foreach (var block in blocks)
        {
            foreach (var (start, count, second) in Seconds(block))
            {
                await _copy.WriteRowsAsync(import, block.BoxId, second, block, start, count).ConfigureAwait(false);
            }
        }

        // Without CompleteAsync the import is rolled back.
        await import.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task UpsertRollupsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<SampleBlock> blocks)
    {
        var boxes = new List<string>();
        var sockets = new List<short>();
        var seconds = new List<DateTimeOffset>();
        var frames = new List<int>();
        var joules = new List<double>();
        var minimum = new List<float>();
        var maximum = new List<float>();
        foreach (var block in blocks)
        {
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

                    boxes.Add(block.BoxId);
                    sockets.Add((short)(plug + 1));
                    seconds.Add(DateTimeOffset.FromUnixTimeSeconds(second));
                    frames.Add(valid);
                    joules.Add(sum);
                    minimum.Add(low);
                    maximum.Add(high);
                }
            }
        }

        await using var command = new NpgsqlCommand(RollupSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("boxes", [.. boxes]));
        command.Parameters.Add(new NpgsqlParameter<short[]>("sockets", [.. sockets]));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("seconds", [.. seconds]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("frames", [.. frames]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("joules", [.. joules]));
        command.Parameters.Add(new NpgsqlParameter<float[]>("min", [.. minimum]));
        command.Parameters.Add(new NpgsqlParameter<float[]>("max", [.. maximum]));
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
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

    /// <summary>A block waiting for its commit, and the caller waiting for the outcome.</summary>
    private sealed class Pending(SampleBlock block)
    {
        public SampleBlock Block { get; } = block;

        // Continuations run off the commit loop: the grains resume on their own schedulers.
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
