using Fleet.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Storage.Tests.Support;

/// <summary>A fresh database on the throwaway server with every migration applied.</summary>
public sealed class MigratedDatabaseFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    public Npgsql.NpgsqlDataSource DataSource => _postgres.DataSource;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await new MigrationRunner(_postgres.DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
