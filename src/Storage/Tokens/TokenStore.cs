using Npgsql;

namespace Fleet.Storage.Tokens;

/// <summary>
/// API tokens by the SHA-256 of their text. Read on every request (no cache), so a revoked
/// token is refused at once by every silo.
/// </summary>
public sealed class TokenStore
{
    private readonly NpgsqlDataSource _dataSource;

    public TokenStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Stores a new live token; null when a live token already has that name.</summary>
    public async Task<StoredToken?> CreateAsync(string name, string role, byte[] sha256, string createdBy, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO api_tokens (name, role, token_sha256, created_by) VALUES (@name, @role, @hash, @by)
            ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
            RETURNING id, name, role, created_at, created_by, revoked_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<string>("role", role));
        command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", sha256));
        command.Parameters.Add(new NpgsqlParameter<string>("by", createdBy));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>The token with this hash, revoked or not; null when there is none.</summary>
    public async Task<StoredToken?> FindAsync(byte[] sha256, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens WHERE token_sha256 = @hash");
        command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", sha256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Every token, oldest first; revoked ones too (with when).</summary>
    public async Task<IReadOnlyList<StoredToken>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY id");
        var list = new List<StoredToken>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Revokes the live token of that name; null when there is none.</summary>
    public async Task<StoredToken?> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            UPDATE api_tokens SET revoked_at = now() WHERE name = @name AND revoked_at IS NULL
            RETURNING id, name, role, created_at, created_by, revoked_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static StoredToken Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
