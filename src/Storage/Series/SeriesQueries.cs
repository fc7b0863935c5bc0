using Fleet.OmegaWatt.Protocol;
using Fleet.Storage.Energy;
using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.Storage.Series;

/// <summary>
/// Power series for dashboards and plots: steps of whole seconds come from the coarsest rollup
/// level that still gives every requested point (hours when steps are whole hours from a whole
/// hour, minutes likewise, else seconds), so a year at 1 h steps reads 8,760 rows; 10 ms steps
/// are the raw frames. A machine is the sum of the sockets that measured it at each instant,
/// following its assignment history, as energy does.
/// </summary>
public sealed class SeriesQueries
{
    /// <summary>The one socket asked for, valid over all time.</summary>
    private const string SocketParts =
        "SELECT @box::text AS box_id, @socket::smallint AS socket, '-infinity'::timestamptz AS valid_from, 'infinity'::timestamptz AS valid_to";

    /// <summary>Every assignment of the machine that overlaps the window (a move, or two power supplies, gives several).</summary>
    private const string MachineParts = """
        SELECT box_id, socket, valid_from, coalesce(valid_to, 'infinity') AS valid_to
        FROM socket_assignments
        WHERE machine = @machine AND valid_from < @to AND coalesce(valid_to, 'infinity') > @from
        """;

    // Per rollup row (a second, minute or hour), each socket's mean power is
    // joules / (frames × 10 ms) and the machine's is their sum. A row belongs to the assignments
    // valid at its start (at 'from' for the first, partial second), so a move never counts one
    // row on two sockets; at the minute and hour levels a move therefore shows from the next
    // whole minute or hour. Steps weight each row by its frames, which makes a single socket's
    // step mean exactly Σ joules / (Σ frames × 10 ms) at every level.
    private static readonly string RollupSql = $$"""
        WITH parts AS (PARTS),
        per_second AS (
            SELECT r.START AS second,
                   sum(r.joules / (r.frames * {{FramePeriodSql.Seconds}})) AS watts,
                   min(r.frames)::bigint AS frames,
                   sum(r.min_w::float8) AS min_w,
                   sum(r.max_w::float8) AS max_w
            FROM parts a
            JOIN LEVEL r ON r.box_id = a.box_id AND r.socket = a.socket
            WHERE r.START >= @origin AND r.START < @to
              AND greatest(r.START, @from) >= a.valid_from AND greatest(r.START, @from) < a.valid_to
            GROUP BY r.START)
        SELECT (extract(epoch FROM s.second)::bigint - @origin_unix) / @step AS bucket,
               sum(s.watts * s.frames) / sum(s.frames),
               min(s.min_w),
               max(s.max_w),
               sum(s.frames)::bigint
        FROM per_second s
        GROUP BY bucket
        ORDER BY bucket
        """;

    // Raw frames are decoded here (the codec lives in C#): the chunks of each box the parts name.
    private const string ChunksSql = $"""
        SELECT {ChunkRowReader.Columns} FROM sample_chunks
        WHERE box_id = @box AND second >= date_trunc('second', @from) AND second < @to
        ORDER BY second, first_offset_us
        """;

    /// <summary>The rollup levels, coarsest first: table, its time column, and its length in seconds.</summary>
    private static readonly (string Table, string Start, long Seconds)[] Levels =
        [("power_1h", "hour", 3600), ("power_1m", "minute", 60), ("power_1s", "second", 1)];

    private static readonly Dictionary<long, string> SocketRollupSql = Levels.ToDictionary(l => l.Seconds, l => RollupAt(l, SocketParts));
    private static readonly Dictionary<long, string> MachineRollupSql = Levels.ToDictionary(l => l.Seconds, l => RollupAt(l, MachineParts));

    private readonly NpgsqlDataSource _dataSource;

    public SeriesQueries(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>
    /// Socket <paramref name="socket"/> (1-based) of a box in steps of <paramref name="stepSeconds"/>
    /// over the whole seconds that overlap [from, to), steps aligned on the second at or before
    /// <paramref name="from"/>.
    /// </summary>
    public Task<IReadOnlyList<SeriesPoint>> GetSocketSeriesAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, long stepSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxId);
        return ReadRollupsAsync(SocketRollupSql, SocketParameters(boxId, socket), from, to, stepSeconds, cancellationToken);
    }

    /// <summary>A machine's sockets summed, following its assignment history; otherwise as <see cref="GetSocketSeriesAsync"/>.</summary>
    public Task<IReadOnlyList<SeriesPoint>> GetMachineSeriesAsync(string machine, DateTimeOffset from, DateTimeOffset to, long stepSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return ReadRollupsAsync(MachineRollupSql, [new NpgsqlParameter<string>("machine", machine)], from, to, stepSeconds, cancellationToken);
    }

    /// <summary>Every valid frame of the socket in [from, to), at its own time (Frames = 1).</summary>
    public Task<IReadOnlyList<SeriesPoint>> GetSocketFramesAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxId);
        return ReadRawAsync([(boxId, socket, long.MinValue, long.MaxValue)], align: false, from, to, cancellationToken);
    }

    /// <summary>A machine's frames in [from, to), its sockets summed per 10 ms slot of the Unix epoch.</summary>
    public async Task<IReadOnlyList<SeriesPoint>> GetMachineFramesAsync(string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(machine);
        if (to <= from)
        {
            return [];
        }

        var parts = new List<(string Box, int Socket, long ValidFrom, long ValidTo)>();
        await using (var command = _dataSource.CreateCommand("""
            SELECT box_id, socket, valid_from, valid_to FROM socket_assignments
            WHERE machine = @machine AND valid_from < @to AND coalesce(valid_to, 'infinity') > @from
            """))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                parts.Add((
                    reader.GetString(0),
                    reader.GetInt16(1),
                    UnixMicroseconds.Ceiling(reader.GetFieldValue<DateTimeOffset>(2)),
                    reader.IsDBNull(3) ? long.MaxValue : UnixMicroseconds.Ceiling(reader.GetFieldValue<DateTimeOffset>(3))));
            }
        }

        return await ReadRawAsync(parts, align: true, from, to, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole second at or before <paramref name="time"/>: where steps of whole seconds start.</summary>
    public static DateTimeOffset StepOrigin(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// The coarsest rollup level (in seconds) whose rows fall wholly inside single steps and
    /// inside the window: the step is a whole number of its rows, and the steps' origin and the
    /// window's end (rounded up to a whole second) are on row boundaries. Otherwise a coarser row
    /// would carry frames from outside its step or the window into the answer.
    /// </summary>
    public static long LevelSeconds(DateTimeOffset origin, DateTimeOffset to, long stepSeconds)
    {
        var start = origin.ToUnixTimeSeconds();
        var end = RollupRanges.CeilingSecond(to).ToUnixTimeSeconds();
        return Levels.First(l => stepSeconds % l.Seconds == 0 && start % l.Seconds == 0 && end % l.Seconds == 0).Seconds;
    }

    private static string RollupAt((string Table, string Start, long Seconds) level, string parts) =>
        RollupSql.Replace("PARTS", parts, StringComparison.Ordinal)
            .Replace("LEVEL", level.Table, StringComparison.Ordinal)
            .Replace("START", level.Start, StringComparison.Ordinal);

    private static NpgsqlParameter[] SocketParameters(string boxId, int socket) =>
        [new NpgsqlParameter<string>("box", boxId), new NpgsqlParameter<short>("socket", (short)socket)];

    private async Task<IReadOnlyList<SeriesPoint>> ReadRollupsAsync(
        Dictionary<long, string> sqlByLevel, NpgsqlParameter[] partParameters, DateTimeOffset from, DateTimeOffset to, long stepSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSeconds, 1);
        if (to <= from)
        {
            return [];
        }

        var origin = StepOrigin(from);
        await using var command = _dataSource.CreateCommand(sqlByLevel[LevelSeconds(origin, to, stepSeconds)]);
        command.Parameters.AddRange(partParameters);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("origin", origin));
        command.Parameters.Add(new NpgsqlParameter<long>("origin_unix", origin.ToUnixTimeSeconds()));
        command.Parameters.Add(new NpgsqlParameter<long>("step", stepSeconds));
        var points = new List<SeriesPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            points.Add(new SeriesPoint(
                origin.AddSeconds((double)(reader.GetInt64(0) * stepSeconds)),
                reader.GetDouble(1),
                reader.GetDouble(2),
                reader.GetDouble(3),
                reader.GetInt64(4)));
        }

        return points;
    }

    /// <summary>
    /// One point per frame of a socket. For a machine, frames are put on the 10 ms grid of the
    /// Unix epoch so sockets on different boxes (whose clocks tick at different offsets) still add
    /// up; a socket with two frames in one slot (clock jitter) counts its mean, not their sum. A
    /// frame counts for the assignments valid at its time.
    /// </summary>
    private async Task<IReadOnlyList<SeriesPoint>> ReadRawAsync(
        List<(string Box, int Socket, long ValidFrom, long ValidTo)> parts, bool align, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var fromMicroseconds = UnixMicroseconds.Ceiling(from);
        var toMicroseconds = UnixMicroseconds.Ceiling(to);
        var slots = new Dictionary<(long Slot, string Box, int Socket), RawSlot>();
        foreach (var box in parts.Select(p => p.Box).Distinct())
        {
            var sockets = parts.Where(p => p.Box == box).Select(p => (p.Socket, p.ValidFrom, p.ValidTo)).ToList();
            await using var command = new NpgsqlCommand(ChunksSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>("box", box));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", UnixMicroseconds.ToTime(toMicroseconds)));
            var chunks = new ChunkRowReader();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var frames = chunks.Read(reader);
                for (var k = 0; k < frames.Count; k++)
                {
                    var at = frames.TimesUnixMicroseconds[k];
                    if (!frames.Valid[k] || at < fromMicroseconds || at >= toMicroseconds)
                    {
                        continue;
                    }

                    var slot = align ? at - Remainder(at, FrameLayout.FramePeriodMicroseconds) : at;
                    foreach (var (socket, validFrom, validTo) in sockets)
                    {
                        if (socket <= frames.Plugs && at >= validFrom && at < validTo)
                        {
                            var key = (slot, box, socket);
                            slots[key] = slots.GetValueOrDefault(key).Add(frames.PowersWatts[(k * frames.Plugs) + socket - 1]);
                        }
                    }
                }
            }
        }

        return [.. slots.GroupBy(s => s.Key.Slot).OrderBy(g => g.Key).Select(g => new SeriesPoint(
            UnixMicroseconds.ToTime(g.Key),
            g.Sum(s => s.Value.Sum / s.Value.Frames),
            g.Sum(s => s.Value.Minimum),
            g.Sum(s => s.Value.Maximum),
            g.Min(s => s.Value.Frames)))];
    }

    private static long Remainder(long value, long divisor) => ((value % divisor) + divisor) % divisor;

    /// <summary>One socket's frames in one slot: their mean, least and greatest power.</summary>
    private readonly record struct RawSlot(double Sum, long Frames, double Minimum, double Maximum)
    {
        public RawSlot Add(float watts) => Frames == 0
            ? new RawSlot(watts, 1, watts, watts)
            : new RawSlot(Sum + watts, Frames + 1, Math.Min(Minimum, watts), Math.Max(Maximum, watts));
    }
}
