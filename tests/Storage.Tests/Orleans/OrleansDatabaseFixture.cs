using Fleet.Storage.Migrations;
using Fleet.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fleet.Storage.Tests.Orleans;

/// <summary>
/// A fresh database (see <see cref="PostgresFixture"/>) brought to the current schema by the real
/// <see cref="MigrationRunner"/>, so Orleans runs on exactly what a silo would create.
/// </summary>
public sealed class OrleansDatabaseFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    public NpgsqlDataSource DataSource => _postgres.DataSource;

    /// <summary>What Orleans' AdoNet providers get: they open their own connections by invariant name.</summary>
    public string ConnectionString => _postgres.DataSource.ConnectionString;

    public IReadOnlyList<int> Applied { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Applied = await new MigrationRunner(DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
