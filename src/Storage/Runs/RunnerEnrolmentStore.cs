using Npgsql;

namespace Fleet.Storage.Runs;

/// <summary>Which host may run experiments as which machine (<c>fleet agents allow HOST --machine M</c>).</summary>
public sealed class RunnerEnrolmentStore
{
    private readonly NpgsqlDataSource _dataSource;

    public RunnerEnrolmentStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task<bool> IsEnrolledAsync(string host, string machine, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM runner_enrolments WHERE host = @host AND machine = @machine)");
        command.Parameters.Add(new NpgsqlParameter<string>("host", host));
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Every enrolment, or one host's, by host then machine.</summary>
    public async Task<IReadOnlyList<(string Host, string Machine, DateTimeOffset EnrolledAt, string EnrolledBy)>> ListAsync(string? host = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT host, machine, enrolled_at, enrolled_by FROM runner_enrolments
            WHERE @host::text IS NULL OR host = @host ORDER BY host, machine
            """);
        command.Parameters.Add(new NpgsqlParameter("host", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)host ?? DBNull.Value });
        var list = new List<(string, string, DateTimeOffset, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)));
        }

        return list;
    }

    public async Task AllowAsync(string host, IReadOnlyCollection<string> machines, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(machines);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO runner_enrolments (host, machine, enrolled_by) SELECT @host, m, @by FROM unnest(@machines) AS m
            ON CONFLICT (host, machine) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("host", host));
        command.Parameters.Add(new NpgsqlParameter<string[]>("machines", [.. machines]));
        command.Parameters.Add(new NpgsqlParameter<string>("by", by));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Withdraws these machines from <paramref name="host"/>, or every machine when <paramref name="machines"/> is empty.</summary>
    public async Task DenyAsync(string host, IReadOnlyCollection<string> machines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(machines);
        await using var command = _dataSource.CreateCommand("DELETE FROM runner_enrolments WHERE host = @host AND (cardinality(@machines) = 0 OR machine = ANY (@machines))");
        command.Parameters.Add(new NpgsqlParameter<string>("host", host));
        command.Parameters.Add(new NpgsqlParameter<string[]>("machines", [.. machines]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
