using Npgsql;

namespace Fleet.Storage.Enrolment;

/// <summary>Which USB host (by the name in its lab certificate) may write which boxes.</summary>
public sealed class EnrolmentStore
{
    private readonly NpgsqlDataSource _dataSource;

    public EnrolmentStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task<bool> IsEnrolledAsync(string host, string boxId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM agent_enrolments WHERE host = @host AND box_id = @box)");
        command.Parameters.Add(new NpgsqlParameter<string>("host", host));
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>Every enrolment, or one host's, by host then box.</summary>
    public async Task<IReadOnlyList<AgentEnrolment>> ListAsync(string? host = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT host, box_id, enrolled_at, enrolled_by FROM agent_enrolments
            WHERE @host::text IS NULL OR host = @host ORDER BY host, box_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string?>("host", host));
        var list = new List<AgentEnrolment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AgentEnrolment(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Lets <paramref name="host"/> write these boxes too (boxes it has already stay).</summary>
    public async Task AllowAsync(string host, IReadOnlyCollection<string> boxIds, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxIds);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO agent_enrolments (host, box_id, enrolled_by) SELECT @host, box, @by FROM unnest(@boxes) AS box
            ON CONFLICT (host, box_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("host", host));
        command.Parameters.Add(new NpgsqlParameter<string[]>("boxes", [.. boxIds]));
        command.Parameters.Add(new NpgsqlParameter<string>("by", by));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Withdraws these boxes from <paramref name="host"/>, or every box when <paramref name="boxIds"/> is empty.</summary>
    public async Task DenyAsync(string host, IReadOnlyCollection<string> boxIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxIds);
        await using var command = _dataSource.CreateCommand("DELETE FROM agent_enrolments WHERE host = @host AND (cardinality(@boxes) = 0 OR box_id = ANY (@boxes))");
        command.Parameters.Add(new NpgsqlParameter<string>("host", host));
        command.Parameters.Add(new NpgsqlParameter<string[]>("boxes", [.. boxIds]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
