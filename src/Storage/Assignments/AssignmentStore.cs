using Fleet.OmegaWatt.Time;
using Npgsql;

namespace Fleet.Storage.Assignments;

/// <summary>
/// Socket assignments with their validity history. Assigning never rewrites the past: it opens
/// a row from a time on; moving closes the open rows at that time and opens new ones. The
/// database refuses two machines on one socket at the same instant.
/// </summary>
public sealed class AssignmentStore
{
    private readonly NpgsqlDataSource _dataSource;

    public AssignmentStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>
    /// Puts <paramref name="machine"/> on exactly these sockets from <paramref name="from"/> on:
    /// its open assignments end there, the new ones start there (several sockets for several
    /// power supplies).
    /// </summary>
    /// <exception cref="SocketTakenException">Another machine holds one of the sockets at that time.</exception>
    public async Task AssignAsync(string machine, IReadOnlyCollection<(string BoxId, int Socket)> sockets, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var upsert = new NpgsqlCommand("INSERT INTO machines (name) VALUES (@machine) ON CONFLICT DO NOTHING", connection, transaction))
        {
            upsert.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var close = new NpgsqlCommand(
            "UPDATE socket_assignments SET valid_to = @from WHERE machine = @machine AND valid_to IS NULL AND valid_from < @from", connection, transaction))
        {
            close.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
            close.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
            await close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (boxId, socket) in sockets)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO socket_assignments (machine, box_id, socket, valid_from) VALUES (@machine, @box, @socket, @from)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
            insert.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
            insert.Parameters.Add(new NpgsqlParameter<short>("socket", (short)socket));
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.ExclusionViolation)
            {
                var holder = await FindHolderAsync(boxId, socket, from, cancellationToken).ConfigureAwait(false);
                throw new SocketTakenException($"socket {boxId}:{socket} is held by {holder ?? "another machine"} at {IsoTime.Format(from)}", error);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Assignments of one machine (or all) valid at <paramref name="at"/>, or the whole history when null.</summary>
    public async Task<IReadOnlyList<SocketAssignment>> ListAsync(string? machine = null, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT machine, box_id, socket, valid_from, valid_to FROM socket_assignments
            WHERE (@machine::text IS NULL OR machine = @machine)
              AND (@at::timestamptz IS NULL OR (valid_from <= @at AND coalesce(valid_to, 'infinity') > @at))
            ORDER BY machine, valid_from, box_id, socket
            """);
        command.Parameters.Add(new NpgsqlParameter<string?>("machine", machine));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("at", at?.ToUniversalTime()));
        var list = new List<SocketAssignment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new SocketAssignment(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt16(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return list;
    }

    private async Task<string?> FindHolderAsync(string boxId, int socket, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT machine FROM socket_assignments
            WHERE box_id = @box AND socket = @socket AND coalesce(valid_to, 'infinity') > @at
            ORDER BY valid_from LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<short>("socket", (short)socket));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", at.ToUniversalTime()));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
