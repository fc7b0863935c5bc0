using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fleet.Storage.Migrations;

/// <summary>
/// Brings a database to the current schema: applies every embedded <c>Migrations/NNNN_name.sql</c>
/// not yet recorded in <c>fleet_schema_migrations</c>, each in its own transaction. Several silos
/// starting at once serialise on an advisory lock, so each migration runs exactly once.
/// </summary>
public sealed partial class MigrationRunner
{
    // Any constant works; it only has to be the same for every silo of a deployment.
    private const long AdvisoryLockKey = 0x466C656574; // "Fleet"

    /// <summary>The code steps of the migrations that have one, by version (before Embedded: static initialisers run in text order).</summary>
    private static readonly Dictionary<int, Func<NpgsqlConnection, ILogger, CancellationToken, Task>> CodeSteps = new()
    {
        [11] = ChunkCodecMigration.ConvertAsync,
    };

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<MigrationRunner> _logger;

    public MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>The migrations shipped in this assembly, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Applies what is missing and returns the versions it applied (empty when up to date).</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>
    /// Applies what is missing up to version <paramref name="upTo"/> included: how tests lay down
    /// data in an older schema to check that a later migration carries it over.
    /// </summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int upTo, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, AdvisoryLockKey).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS fleet_schema_migrations (
                    version int PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken).ConfigureAwait(false);

            var applied = new HashSet<int>();
            await using (var query = new NpgsqlCommand("SELECT version FROM fleet_schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var done = new List<int>();
            foreach (var migration in Embedded.Where(m => m.Version <= upTo))
            {
                if (!applied.Contains(migration.Version))
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, "INSERT INTO fleet_schema_migrations (version, name) VALUES (@key, @name)", cancellationToken, migration.Version, migration.Name).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    LogApplied(migration.Version, migration.Name);
                    done.Add(migration.Version);
                }

                // Also for a migration applied before: its code step resumes what a stopped silo left.
                if (migration.Code is { } code)
                {
                    await code(connection, _logger, cancellationToken).ConfigureAwait(false);
                }
            }

            return done;
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, AdvisoryLockKey).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, object? key = null, string? name = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (key is not null)
        {
            command.Parameters.AddWithValue("key", key);
        }

        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> LoadEmbedded()
    {
        const string prefix = "Fleet.Storage.Migrations.";
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName[(underscore + 1)..], reader.ReadToEnd(), CodeSteps.GetValueOrDefault(version)));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);
}
