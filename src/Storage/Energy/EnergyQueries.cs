using Npgsql;

namespace Fleet.Storage.Energy;

/// <summary>
/// Exact energy over any window: whole seconds come from the per-second rollups, the partial
/// seconds at either edge from the raw frames, so the answer equals Σ P × 10 ms over the frames
/// in [from, to) without reading every frame of a long window. The first and last frame of the
/// window (what the frames cover) are read from the raw frames of the one second each is in.
/// What the figures mean is defined once, in <see cref="WindowEnergy"/>.
/// </summary>
public sealed class EnergyQueries
{
    private static readonly string SocketEnergySql = $$"""
        WITH b AS (
            SELECT @from::timestamptz AS f, @to::timestamptz AS t,
                   CASE WHEN date_trunc('second', @from::timestamptz) = @from::timestamptz
                        THEN @from::timestamptz ELSE date_trunc('second', @from::timestamptz) + interval '1 second' END AS inner_from,
                   date_trunc('second', @to::timestamptz) AS inner_to),
        rolled AS (
            SELECT coalesce(sum(r.joules), 0) AS joules, coalesce(sum(r.frames), 0) AS frames, max(r.max_w) AS peak,
                   min(r.second) AS first_second, max(r.second) AS last_second
            FROM power_1s r, b
            WHERE r.box_id = @box AND r.socket = @socket AND r.second >= b.inner_from AND r.second < b.inner_to),
        edge AS (
            SELECT coalesce(sum(x.p::float8 * {{FramePeriodSql.Seconds}}), 0) AS joules, count(*) AS frames, max(x.p) AS peak,
                   min(x.at) AS first_at, max(x.at) AS last_at
            FROM (
                SELECT c.powers[(k.i - 1) * c.plugs + @socket] AS p, c.second + k.offset_us * interval '1 microsecond' AS at
                FROM sample_chunks c
                CROSS JOIN b
                CROSS JOIN LATERAL unnest(c.offsets_us, c.valid) WITH ORDINALITY AS k(offset_us, ok, i)
                WHERE c.box_id = @box
                  AND c.second >= date_trunc('second', b.f) AND c.second < b.t
                  AND (c.second < b.inner_from OR c.second >= b.inner_to)
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
               least(edge.first_at, inner_first.at), greatest(edge.last_at, inner_last.at)
        FROM rolled, edge, inner_first, inner_last
        """;

    private readonly NpgsqlDataSource _dataSource;

    public EnergyQueries(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Energy of socket <paramref name="socket"/> (1-based) of a box over [from, to).</summary>
    public async Task<WindowEnergy> GetSocketEnergyAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        new(from, to, [await GetPartAsync(boxId, socket, from, to, cancellationToken).ConfigureAwait(false)]);

    /// <summary>
    /// Energy of a machine over [from, to): each socket assignment valid in the window counts
    /// for the part of the window it covers, so a machine that moved, or has two power
    /// supplies, is summed from the sockets that really measured it.
    /// </summary>
    public async Task<WindowEnergy> GetMachineEnergyAsync(string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var parts = new List<SocketEnergy>();
        foreach (var part in await GetMachineSocketsAsync(machine, from, to, cancellationToken).ConfigureAwait(false))
        {
            parts.Add(await GetPartAsync(part.BoxId, part.Socket, part.From, part.To, cancellationToken).ConfigureAwait(false));
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

    private async Task<SocketEnergy> GetPartAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return new SocketEnergy(boxId, socket, from, from, 0, 0, null, null, null);
        }

        await using var command = _dataSource.CreateCommand(SocketEnergySql);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<int>("socket", socket));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
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
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
    }
}
