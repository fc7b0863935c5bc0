using System.Reflection;
using Fleet.Storage.Migrations;
using Fleet.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;

namespace Fleet.Storage.Tests.Orleans;

/// <summary>The Orleans migrations apply once, and leave every query key Orleans 10.4.2 requires.</summary>
public sealed class OrleansMigrationTests : IClassFixture<PostgresFixture>
{
    private static readonly int[] OrleansVersions = [2, 3, 4];

    private readonly PostgresFixture _postgres;

    public OrleansMigrationTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task MigrateAsync_RunTwice_SecondRunAppliesNothing()
    {
        var runner = new MigrationRunner(_postgres.DataSource, NullLogger<MigrationRunner>.Instance);

        var first = await runner.MigrateAsync();
        var second = await runner.MigrateAsync();

        Assert.Equal(MigrationRunner.Embedded.Select(m => m.Version), first);
        Assert.Subset(first.ToHashSet(), OrleansVersions.ToHashSet());
        Assert.Empty(second);
        Assert.Equal((long)first.Count, await ScalarAsync<long>("SELECT count(*) FROM fleet_schema_migrations"));
        Assert.Equal(21L, await ScalarAsync<long>("SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task OrleansQuery_AfterMigration_HoldsEveryKeyTheProvidersRequire()
    {
        await new MigrationRunner(_postgres.DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        var keys = new HashSet<string>();
        await using (var command = _postgres.DataSource.CreateCommand("SELECT QueryKey FROM OrleansQuery"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        // Clustering and reminders refuse to start unless every internal DbStoredQueries property has
        // a row; read that list from the shipped assemblies rather than from a copy that could drift.
        var required = RequiredKeys(typeof(AdoNetClusteringTable).Assembly)
            .Concat(RequiredKeys(typeof(AdoNetReminderTableOptions).Assembly))
            .Concat(["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey"])
            .ToList();
        Assert.Equal(9 + 7 + 4, required.Count);
        Assert.Subset(keys, required.ToHashSet());
        Assert.Contains("CleanupDefunctSiloEntryKey", keys); // optional in 10.4.2; preferred when present
    }

    private static IEnumerable<string> RequiredKeys(Assembly assembly) =>
        assembly.GetTypes()
            .Single(t => t.Name == "DbStoredQueries")
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _postgres.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
