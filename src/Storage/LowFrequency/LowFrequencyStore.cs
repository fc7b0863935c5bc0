using Npgsql;

namespace Fleet.Storage.LowFrequency;

/// <summary>
/// The boxes' own low-frequency history (table <c>power_low_frequency</c>), kept apart from the
/// 10 ms frames: a mean over a step is not a frame, and summing both would count energy twice.
/// Writes are idempotent upserts, so importing the same file again changes nothing.
/// </summary>
public sealed class LowFrequencyStore
{
    private readonly NpgsqlDataSource _dataSource;

    public LowFrequencyStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Inserts the rows, or updates those whose mean changed; one transaction.</summary>
    public async Task<LowFrequencyUpsert> UpsertAsync(string boxId, IReadOnlyList<LowFrequencyPoint> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxId);
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return new LowFrequencyUpsert(0, 0, 0);
        }

        // xmax = 0 tells a fresh insert from an update; rows whose mean is unchanged are not
        // touched at all (the WHERE), so they come back from neither and are counted as the rest.
        await using var command = _dataSource.CreateCommand("""
            WITH written AS (
                INSERT INTO power_low_frequency AS l (box_id, socket, at, step_seconds, mean_w)
                SELECT @box, s.socket, s.at, s.step_seconds, s.mean_w
                FROM unnest(@sockets, @times, @steps, @means) AS s(socket, at, step_seconds, mean_w)
                ON CONFLICT (box_id, socket, at, step_seconds) DO UPDATE SET mean_w = excluded.mean_w, imported_at = now()
                    WHERE l.mean_w IS DISTINCT FROM excluded.mean_w
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<short[]>("sockets", [.. points.Select(p => (short)p.Socket)]));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("times", [.. points.Select(p => p.At.ToUniversalTime())]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("steps", [.. points.Select(p => p.StepSeconds)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("means", [.. points.Select(p => p.MeanWatts)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var inserted = reader.GetInt64(0);
        var updated = reader.GetInt64(1);
        return new LowFrequencyUpsert(inserted, updated, points.Count - inserted - updated);
    }

    /// <summary>The distinct steps a socket has rows of in [from, to) (steps overlapping the window).</summary>
    public async Task<IReadOnlyList<int>> GetStepsAsync(string boxId, int socket, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT DISTINCT step_seconds FROM power_low_frequency
            WHERE box_id = @box AND socket = @socket AND at < @to AND at + step_seconds * interval '1 second' > @from
            ORDER BY step_seconds
            """);
        AddWindow(command, boxId, socket, from, to);
        var steps = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            steps.Add(reader.GetInt32(0));
        }

        return steps;
    }

    /// <summary>Whether the box has any low-frequency row at all (to tell an unknown box from an empty window).</summary>
    public async Task<bool> HasBoxAsync(string boxId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM power_low_frequency WHERE box_id = @box)");
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>The socket's steps of <paramref name="stepSeconds"/> overlapping [from, to), and their energy inside the window.</summary>
    public async Task<LowFrequencyWindow> ReadAsync(string boxId, int socket, int stepSeconds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT at, mean_w FROM power_low_frequency
            WHERE box_id = @box AND socket = @socket AND step_seconds = @step
              AND at < @to AND at + step_seconds * interval '1 second' > @from
            ORDER BY at
            """);
        AddWindow(command, boxId, socket, from, to);
        command.Parameters.Add(new NpgsqlParameter<int>("step", stepSeconds));
        var points = new List<LowFrequencyPoint>();
        double joules = 0;
        double covered = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var at = await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken).ConfigureAwait(false);
            var meanWatts = reader.GetDouble(1);
            points.Add(new LowFrequencyPoint(socket, at, stepSeconds, meanWatts));

            // A step cut by the window's edge counts for the part inside it only.
            var start = at < from ? from : at;
            var end = at.AddSeconds(stepSeconds) > to ? to : at.AddSeconds(stepSeconds);
            var seconds = (end - start).TotalSeconds;
            joules += meanWatts * seconds;
            covered += seconds;
        }

        return new LowFrequencyWindow(stepSeconds, points, joules, covered);
    }

    private static void AddWindow(NpgsqlCommand command, string boxId, int socket, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<short>("socket", (short)socket));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
    }
}
