using Fleet.Storage.Retention;
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
    // The partial seconds at either edge come from the raw frames. first_second and last_second
    // locate the first and last frame, read from the raw frames of those seconds when they are
    // still there (after retention, the rollups' seconds stand in for them).
    private static readonly string SocketEnergySql = $$"""
        WITH b AS (
            SELECT @from::timestamptz AS f, @to::timestamptz AS t),
        rolled AS (
            SELECT coalesce(sum(x.joules), 0) AS joules, coalesce(sum(x.frames), 0) AS frames, max(x.max_w) AS peak,
                   min(x.first_second) AS first_second, max(x.last_second) AS last_second
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
                  AND ((r.second >= @s_from1 AND r.second < @s_to1) OR (r.second >= @s_from2 AND r.second < @s_to2))) x),
        edge AS (
            SELECT coalesce(sum(x.p::float8 * {{FramePeriodSql.Seconds}}), 0) AS joules, count(*) AS frames, max(x.p) AS peak,
                   min(x.at) AS first_at, max(x.at) AS last_at
            FROM (
                SELECT c.powers[(k.i - 1) * c.plugs + @socket] AS p, c.second + k.offset_us * interval '1 microsecond' AS at
                FROM sample_chunks c
                CROSS JOIN b
                CROSS JOIN LATERAL unnest(c.offsets_us, c.valid) WITH ORDINALITY AS k(offset_us, ok, i)
                WHERE c.box_id = @box
                  AND (c.second = @edge_from OR c.second = @edge_to)
                  AND k.ok
                  AND c.second + k.offset_us * interval '1 microsecond' >= b.f
                  AND c.second + k.offset_us * interval '1 microsecond' < b.t) x),
        inner_first AS (
            SELECT min(c.second + k.offset_us * interval '1 microsecond') AS at
            FROM sample_chunks c
            CROSS JOIN rolled
            CROSS JOIN LATERAL unnest(c.offsets_us, c.valid) AS k(offset_us, ok)
            WHERE c.box_id = @box AND c.second = rolled.first_second AND k.ok),
        inner_last AS (
            SELECT max(c.second + k.offset_us * interval '1 microsecond') AS at
            FROM sample_chunks c
            CROSS JOIN rolled
            CROSS JOIN LATERAL unnest(c.offsets_us, c.valid) AS k(offset_us, ok)
            WHERE c.box_id = @box AND c.second = rolled.last_second AND k.ok)
        SELECT rolled.joules + edge.joules, rolled.frames + edge.frames, greatest(rolled.peak, edge.peak),
               least(edge.first_at, coalesce(inner_first.at, rolled.first_second)),
               greatest(edge.last_at, coalesce(inner_last.at, rolled.last_second + interval '{{RollupOnlyLastFrameMilliseconds}} milliseconds'))
        FROM rolled, edge, inner_first, inner_last
        """;

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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var serial = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", connection, transaction))
        {
            await serial.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = new NpgsqlCommand(SocketEnergySql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<int>("socket", socket));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", queryFrom.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", queryTo.ToUniversalTime()));
        // The partial seconds at the edges, by key: one index lookup each, whatever the window's
        // length (a range condition from the CTE would leave the planner guessing).
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("edge_from", ranges.InnerFrom > queryFrom ? ranges.InnerFrom.AddSeconds(-1) : null));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("edge_to", ranges.InnerTo < queryTo ? ranges.InnerTo : null));
        AddRange(command, "h_from", "h_to", ranges.Hours);
        AddRange(command, "m_from1", "m_to1", ranges.MinutesBefore);
        AddRange(command, "m_from2", "m_to2", ranges.MinutesAfter);
        AddRange(command, "s_from1", "s_to1", ranges.SecondsBefore);
        AddRange(command, "s_from2", "s_to2", ranges.SecondsAfter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new SocketEnergy(
            boxId,
            socket,
            from,
            to,
            reader.GetDouble(0),
            reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetFloat(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4))
        {
            FromRollupsOnly = rollupsOnly,
        };
    }

    private static void AddRange(NpgsqlCommand command, string fromName, string toName, (DateTimeOffset From, DateTimeOffset To) range)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(fromName, range.From));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(toName, range.To));
    }
}
