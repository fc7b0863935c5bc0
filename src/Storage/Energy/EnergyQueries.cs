using Fleet.OmegaWatt.Protocol;
using Npgsql;

namespace Fleet.Storage.Energy;

/// <summary>
/// Exact energy over any window: whole seconds come from the per-second rollups, the partial
/// seconds at either edge from the raw frames, so the answer equals Σ P × 10 ms over the frames
/// in [from, to) without reading every frame of a long window.
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
            SELECT coalesce(sum(r.joules), 0) AS joules, coalesce(sum(r.frames), 0) AS frames, max(r.max_w) AS peak
            FROM power_1s r, b
            WHERE r.box_id = @box AND r.socket = @socket AND r.second >= b.inner_from AND r.second < b.inner_to),
        edge AS (
            SELECT coalesce(sum(x.p::float8 * {{FramePeriodSql.Seconds}}), 0) AS joules, count(*) AS frames, max(x.p) AS peak
            FROM (
                SELECT c.powers[(k.i - 1) * c.plugs + @socket] AS p
                FROM sample_chunks c
                CROSS JOIN b
                CROSS JOIN LATERAL unnest(c.offsets_us, c.valid) WITH ORDINALITY AS k(offset_us, ok, i)
                WHERE c.box_id = @box
                  AND c.second >= date_trunc('second', b.f) AND c.second < b.t
                  AND (c.second < b.inner_from OR c.second >= b.inner_to)
                  AND k.ok
                  AND c.second + k.offset_us * interval '1 microsecond' >= b.f
                  AND c.second + k.offset_us * interval '1 microsecond' < b.t) x)
        SELECT rolled.joules + edge.joules, rolled.frames + edge.frames, greatest(rolled.peak, edge.peak)
        FROM rolled, edge
        """;

    private readonly NpgsqlDataSource _dataSource;

    public EnergyQueries(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Energy of socket <paramref name="socket"/> (1-based) of a box over [from, to).</summary>
    public async Task<SocketEnergy> GetSocketEnergyAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            return SocketEnergy.None;
        }

        await using var command = _dataSource.CreateCommand(SocketEnergySql);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<int>("socket", socket));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var frames = reader.GetInt64(1);
        return new SocketEnergy(
            reader.GetDouble(0),
            frames,
            ExpectedFrames(from, to),
            reader.IsDBNull(2) ? null : reader.GetFloat(2),
            (to - from).TotalSeconds);
    }

    /// <summary>
    /// Energy of a machine over [from, to): each socket assignment valid in the window counts
    /// for the part of the window it covers, so a machine that moved, or has two power
    /// supplies, is summed from the sockets that really measured it.
    /// </summary>
    public async Task<SocketEnergy> GetMachineEnergyAsync(string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var total = SocketEnergy.None;
        foreach (var (boxId, socket, validFrom, validTo) in await GetAssignmentsAsync(machine, from, to, cancellationToken).ConfigureAwait(false))
        {
            var part = await GetSocketEnergyAsync(boxId, socket, validFrom, validTo, cancellationToken).ConfigureAwait(false);
            total = total.Add(part);
        }

        // Parts are sequential (moves) or concurrent (power supplies): the window is the whole span.
        return total with { Seconds = (to - from).TotalSeconds };
    }

    private async Task<List<(string BoxId, int Socket, DateTimeOffset From, DateTimeOffset To)>> GetAssignmentsAsync(
        string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
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
        var assignments = new List<(string, int, DateTimeOffset, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            assignments.Add((reader.GetString(0), reader.GetInt16(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return assignments;
    }

    /// <summary>One frame per period of the window, rounded to whole frames.</summary>
    public static long ExpectedFrames(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? 0 : (long)Math.Round((to - from).TotalSeconds * FrameLayout.FramesPerSecond);
}
