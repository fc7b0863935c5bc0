using Npgsql;

namespace Fleet.Storage.Runs;

/// <summary>
/// The time series a runner reports besides the wall: component meters' cumulative joules and
/// the CPU its command used. Keyed by time, so a resent report stores nothing twice.
/// </summary>
public sealed class RunSampleStore
{
    private readonly NpgsqlDataSource _dataSource;

    public RunSampleStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task AppendComponentsAsync(string experimentId, string machine, IReadOnlyList<(string Component, DateTimeOffset At, double Joules)> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("""
            INSERT INTO component_samples (experiment_id, machine, component, at, joules)
            SELECT @experiment, @machine, c, a, j FROM unnest(@components, @ats, @joules) AS x(c, a, j)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("experiment", experimentId));
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        command.Parameters.Add(new NpgsqlParameter<string[]>("components", [.. samples.Select(s => s.Component)]));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", [.. samples.Select(s => s.At.ToUniversalTime())]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("joules", [.. samples.Select(s => s.Joules)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One machine's component samples of an experiment, by component then time.</summary>
    public async Task<IReadOnlyList<(string Component, DateTimeOffset At, double Joules)>> ReadComponentsAsync(string experimentId, string machine, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT component, at, joules FROM component_samples
            WHERE experiment_id = @experiment AND machine = @machine ORDER BY component, at
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("experiment", experimentId));
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        var samples = new List<(string, DateTimeOffset, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2)));
        }

        return samples;
    }

    public async Task AppendActivityAsync(string experimentId, string machine, IReadOnlyList<(DateTimeOffset At, double Cores)> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("""
            INSERT INTO runner_activity (experiment_id, machine, at, cores)
            SELECT @experiment, @machine, a, c FROM unnest(@ats, @cores) AS x(a, c)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("experiment", experimentId));
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", [.. samples.Select(s => s.At.ToUniversalTime())]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("cores", [.. samples.Select(s => s.Cores)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<(DateTimeOffset At, double Cores)>> ReadActivityAsync(string experimentId, string machine, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT at, cores FROM runner_activity WHERE experiment_id = @experiment AND machine = @machine ORDER BY at");
        command.Parameters.Add(new NpgsqlParameter<string>("experiment", experimentId));
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        var samples = new List<(DateTimeOffset, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1)));
        }

        return samples;
    }
}
