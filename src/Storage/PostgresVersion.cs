using Npgsql;

namespace Fleet.Storage;

/// <summary>Asks a PostgreSQL server what it is: the first thing a silo checks before migrating.</summary>
public static class PostgresVersion
{
    /// <summary>The server's numeric version (e.g. 150018 for 15.18).</summary>
    public static async Task<int> GetServerVersionNumberAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT current_setting('server_version_num')::int");
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (int)result!;
    }
}
