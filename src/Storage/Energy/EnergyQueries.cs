using Fleet.OmegaWatt.Protocol;
using Fleet.Storage.Retention;
using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.Storage.Energy;

/// <summary>
/// Exact energy over any window: whole seconds come from the rollups (hours, minutes and seconds,
/// <see cref="RollupRanges"/>), the partial seconds at either edge from the raw frames, so the
/// answer equals Σ P × 10 ms over the frames in [from, to) reading O(log window) rows. Where
/// retention dropped the raw frames, the rollups answer alone and the result says so. The first and last frame of the
/// window (what the frames cover) are read from the raw frames of the one second each is in.
/// What the figures mean is defined once, in <see cref="WindowEnergy"/>.
/// </summary>
public sealed class EnergyQueries
{
    // The whole seconds of the window come from the coarsest rollups that fit: hours in the
    // middle, minutes and seconds toward the edges (RollupRanges), so a year reads ~9 000 rows.
    // first_second and last_second locate the first and last frame, read from the raw frames of
    // those seconds when they are still there (after retention, the rollups' seconds stand in).
    private const string RolledSql = """
        SELECT coalesce(sum(x.joules), 0), coalesce(sum(x.frames), 0), max(x.max_w), min(x.first_second), max(x.last_second)
        FROM (
            SELECT r.joules, r.frames, r.max_w, r.first_second, r.last_second FROM power_1h r
            WHERE r.box_id = @box AND r.socket = @socket AND r.hour >= @h_from AND r.hour < @h_to
            UNION ALL
            SELECT r.joules, r.frames, r.max_w, r.first_second, r.last_second FROM power_1m r
            WHERE r.box_id = @box AND r.socket = @socket
              AND ((r.minute >= @m_from1 AND r.minute < @m_to1) OR (r.minute >= @m_from2 AND r.minute < @m_to2))
            UNION ALL
            SELECT r.joules, r.frames, r.max_w, r.second, r.second FROM power_1s r
            WHERE r.box_id = @box AND r.socket = @socket
              AND ((r.second >= @s_from1 AND r.second < @s_to1) OR (r.second >= @s_from2 AND r.second < @s_to2))) x
        """;

    // The raw chunks of at most four seconds, by key: the partial seconds at the edges and the
    // seconds of the first and last frame. The codec is decoded here, in C#.
    private const string ChunksSql = $"SELECT {ChunkRowReader.Columns} FROM sample_chunks WHERE box_id = @box AND second = ANY(@seconds)";

    /// <summary>With only rollups left, a last frame is taken to start at the end of its second's last 10 ms.</summary>
    private const int RollupOnlyLastFrameMilliseconds = 990;

    private readonly NpgsqlDataSource _dataSource;
    private readonly RawRetention _retention;

    public EnergyQueries(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _retention = new RawRetention(dataSource);
    }

    /// <summary>Energy of socket <paramref name="socket"/> (1-based) of a box over [from, to).</summary>
    public async Task<WindowEnergy> GetSocketEnergyAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        new(from, to, [await GetPartAsync(boxId, socket, from, to, await _retention.GetRawFromAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)]);

    /// <summary>
    /// Energy of a machine over [from, to): each socket assignment valid in the window counts
    /// for the part of the window it covers, so a machine that moved, or has two power
    /// supplies, is summed from the sockets that really measured it.
    /// </summary>
    public async Task<WindowEnergy> GetMachineEnergyAsync(string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var parts = new List<SocketEnergy>();
        var rawFrom = await _retention.GetRawFromAsync(cancellationToken).ConfigureAwait(false);
        foreach (var part in await GetMachineSocketsAsync(machine, from, to, cancellationToken).ConfigureAwait(false))
        {
            parts.Add(await GetPartAsync(part.BoxId, part.Socket, part.From, part.To, rawFrom, cancellationToken).ConfigureAwait(false));
        }

        return new WindowEnergy(from, to, parts);
    }

    /// <summary>The sockets that measured a machine in [from, to), each with the part of the window it was on it, in time order.</summary>
    public async Task<IReadOnlyList<SocketWindow>> GetMachineSocketsAsync(string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT box_id, socket, greatest(valid_from, @from), least(coalesce(valid_to, 'infinity'), @to)
            FROM socket_assignments
            WHERE machine = @machine AND valid_from < @to AND coalesce(valid_to, 'infinity') > @from
            ORDER BY valid_from, box_id, socket
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
        var sockets = new List<SocketWindow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sockets.Add(new SocketWindow(reader.GetString(0), reader.GetInt16(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return sockets;
    }

    private async Task<SocketEnergy> GetPartAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? rawFrom, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return new SocketEnergy(boxId, socket, from, from, 0, 0, null, null, null);
        }

        // An edge whose raw frames retention dropped is answered from the rollups alone: the
        // seconds that start in the window count whole, so that edge is exact to a second only.
        var rollupsOnly = rawFrom is { } dropped && from < dropped;
        var queryFrom = rollupsOnly ? RollupRanges.CeilingSecond(from) : from;
        var queryTo = rawFrom is { } end && to < end ? RollupRanges.CeilingSecond(to) : to;
        var ranges = RollupRanges.Of(queryFrom, queryTo);
        // Every part of the query is an index lookup of a few hundred rows at most; a parallel
        // plan (chosen on row estimates for long windows) spent ~20 ms starting its workers.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for the rollups and the raw edges, so a block committed in between never
        // counts in one and not the other.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using (var serial = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", connection, transaction))
        {
            await serial.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = new NpgsqlCommand(RolledSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<short>("socket", (short)socket));
        AddRange(command, "h_from", "h_to", ranges.Hours);
        AddRange(command, "m_from1", "m_to1", ranges.MinutesBefore);
        AddRange(command, "m_from2", "m_to2", ranges.MinutesAfter);
        AddRange(command, "s_from1", "s_to1", ranges.SecondsBefore);
        AddRange(command, "s_from2", "s_to2", ranges.SecondsAfter);
        double rolledJoules;
        long rolledFrames;
        float? rolledPeak;
        DateTimeOffset? firstSecond;
        DateTimeOffset? lastSecond;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            rolledJoules = reader.GetDouble(0);
            rolledFrames = reader.GetInt64(1);
            rolledPeak = reader.IsDBNull(2) ? null : reader.GetFloat(2);
            firstSecond = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
            lastSecond = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
        }

        // The partial seconds at the edges: the second before the rollups start, and the one they stop at.
        DateTimeOffset? edgeFrom = ranges.InnerFrom > queryFrom ? ranges.InnerFrom.AddSeconds(-1) : null;
        DateTimeOffset? edgeTo = ranges.InnerTo < queryTo ? ranges.InnerTo : null;
        var raw = await ReadRawAsync(connection, transaction, boxId, socket, queryFrom, queryTo, edgeFrom, edgeTo, firstSecond, lastSecond, cancellationToken).ConfigureAwait(false);
        float? peak = (rolledPeak, raw.Peak) switch
        {
            ({ } a, { } b) => Math.Max(a, b),
            (var a, var b) => a ?? b,
        };
        var first = Earliest(raw.EdgeFirst, raw.InnerFirst ?? firstSecond);
        var last = Latest(raw.EdgeLast, raw.InnerLast ?? lastSecond?.AddMilliseconds(RollupOnlyLastFrameMilliseconds));
        return new SocketEnergy(boxId, socket, from, to, rolledJoules + raw.Joules, rolledFrames + raw.Frames, peak, first, last)
        {
            FromRollupsOnly = rollupsOnly,
        };
    }

    /// <summary>
    /// From the raw frames: the valid frames of the edge seconds that fall in [from, to) (summed),
    /// and the first valid frame of <paramref name="firstSecond"/> and last of <paramref name="lastSecond"/>.
    /// </summary>
    private static async Task<RawEdges> ReadRawAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string boxId,
        int socket,
        DateTimeOffset from,
        DateTimeOffset to,
        DateTimeOffset? edgeFrom,
        DateTimeOffset? edgeTo,
        DateTimeOffset? firstSecond,
        DateTimeOffset? lastSecond,
        CancellationToken cancellationToken)
    {
        DateTimeOffset?[] wanted = [edgeFrom, edgeTo, firstSecond, lastSecond];
        var seconds = wanted.OfType<DateTimeOffset>().Distinct().ToArray();
        var edges = new RawEdges();
        if (seconds.Length == 0)
        {
            return edges;
        }

        await using var command = new NpgsqlCommand(ChunksSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("seconds", seconds));
        var fromMicroseconds = UnixMicroseconds.Ceiling(from);
        var toMicroseconds = UnixMicroseconds.Ceiling(to);
        var chunks = new ChunkRowReader();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var second = reader.GetFieldValue<DateTimeOffset>(0);
            var frames = chunks.Read(reader);
            if (socket > frames.Plugs)
            {
                continue;
            }

            var isEdge = second == edgeFrom || second == edgeTo;
            for (var k = 0; k < frames.Count; k++)
            {
                if (!frames.Valid[k])
                {
                    continue;
                }

                var at = frames.TimesUnixMicroseconds[k];
                if (second == firstSecond)
                {
                    edges.InnerFirst = Earliest(edges.InnerFirst, UnixMicroseconds.ToTime(at));
                }

                if (second == lastSecond)
                {
                    edges.InnerLast = Latest(edges.InnerLast, UnixMicroseconds.ToTime(at));
                }

                if (isEdge && at >= fromMicroseconds && at < toMicroseconds)
                {
                    var watts = frames.PowersWatts[(k * frames.Plugs) + socket - 1];
                    edges.Joules += watts * FrameLayout.FramePeriodSeconds;
                    edges.Frames++;
                    edges.Peak = edges.Peak is { } high ? Math.Max(high, watts) : watts;
                    edges.EdgeFirst = Earliest(edges.EdgeFirst, UnixMicroseconds.ToTime(at));
                    edges.EdgeLast = Latest(edges.EdgeLast, UnixMicroseconds.ToTime(at));
                }
            }
        }

        return edges;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static void AddRange(NpgsqlCommand command, string fromName, string toName, (DateTimeOffset From, DateTimeOffset To) range)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(fromName, range.From));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(toName, range.To));
    }

    /// <summary>What the raw frames add to the rollups: the edges' partial seconds, and where the frames start and end.</summary>
    private sealed class RawEdges
    {
        public double Joules { get; set; }

        public long Frames { get; set; }

        public float? Peak { get; set; }

        public DateTimeOffset? EdgeFirst { get; set; }

        public DateTimeOffset? EdgeLast { get; set; }

        public DateTimeOffset? InnerFirst { get; set; }

        public DateTimeOffset? InnerLast { get; set; }
    }
}
