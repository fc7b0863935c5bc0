using Npgsql;
using NpgsqlTypes;

namespace Fleet.Storage.Audit;

/// <summary>The audit_log table: appended to after every write through the HTTP API.</summary>
public sealed class AuditLog
{
    private readonly NpgsqlDataSource _dataSource;

    public AuditLog(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO audit_log (actor, role, method, path, status, before, after) VALUES (@actor, @role, @method, @path, @status, @before, @after)
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("actor", entry.Actor));
        command.Parameters.Add(new NpgsqlParameter<string>("role", entry.Role));
        command.Parameters.Add(new NpgsqlParameter<string>("method", entry.Method));
        command.Parameters.Add(new NpgsqlParameter<string>("path", entry.Path));
        command.Parameters.Add(new NpgsqlParameter<int>("status", entry.Status));
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Jsonb) { Value = (object?)entry.BeforeJson ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Jsonb) { Value = (object?)entry.AfterJson ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, at, actor, role, method, path, status, before::text, after::text FROM audit_log ORDER BY id DESC LIMIT @count");
        command.Parameters.Add(new NpgsqlParameter<int>("count", count));
        var list = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AuditEntry(
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8))
            {
                Id = reader.GetInt64(0),
                At = reader.GetFieldValue<DateTimeOffset>(1),
            });
        }

        return list;
    }
}
