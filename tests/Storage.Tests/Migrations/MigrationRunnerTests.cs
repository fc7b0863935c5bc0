using Fleet.Storage.Migrations;
using Fleet.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Storage.Tests.Migrations;

public sealed class MigrationRunnerTests : IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _postgres;

    public MigrationRunnerTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task MigrateAsync_FreshDatabaseThenAgainConcurrently_AppliesEachMigrationOnce()
    {
        var runner = new MigrationRunner(_postgres.DataSource, NullLogger<MigrationRunner>.Instance);

        var first = await runner.MigrateAsync();
        var again = await Task.WhenAll(runner.MigrateAsync(), runner.MigrateAsync());

        Assert.Equal(MigrationRunner.Embedded.Select(m => m.Version), first);
        Assert.All(again, Assert.Empty);
        await using var count = _postgres.DataSource.CreateCommand("SELECT count(*) FROM fleet_schema_migrations");
        Assert.Equal((long)MigrationRunner.Embedded.Count, await count.ExecuteScalarAsync());
    }
}
