using Fleet.Storage.Migrations;
using Fleet.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fleet.Storage.Tests.Migrations;

/// <summary>
/// The roles migration 0007 makes, on the real server: fleet_reader (Grafana) may read the
/// dashboards' tables and nothing else, under a statement timeout; fleet_app owns every table
/// and runs Fleet without being a superuser.
/// </summary>
public sealed class DatabaseRolesTests : IClassFixture<MigratedDatabaseFixture>
{
    private readonly MigratedDatabaseFixture _database;

    public DatabaseRolesTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task FleetReader_SelectOnADashboardTable_Works()
    {
        await using var reader = await ConnectAsAsync("fleet_reader");

        await using var select = new NpgsqlCommand("SELECT count(*) FROM power_1s", reader);
        await using var timeout = new NpgsqlCommand("SHOW statement_timeout", reader);

        Assert.Equal(0L, await select.ExecuteScalarAsync());
        Assert.Equal("30s", await timeout.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("INSERT INTO machines (name) VALUES ('intruder')")]
    [InlineData("DELETE FROM experiments")]
    [InlineData("DROP TABLE power_1s")]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'touch /tmp/fleet-reader-was-here'")]
    [InlineData("SELECT * FROM api_tokens")]
    [InlineData("SELECT * FROM sample_chunks")]
    [InlineData("SELECT * FROM orleansmembershiptable")]
    [InlineData("CREATE TABLE mine (x int)")]
    public async Task FleetReader_AnythingButReadingTheDashboards_Refused(string sql)
    {
        await using var reader = await ConnectAsAsync("fleet_reader");
        await using var command = new NpgsqlCommand(sql, reader);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.False(File.Exists("/tmp/fleet-reader-was-here"));
    }

    [Fact]
    public async Task FleetApp_OwnsEveryTableAndIsNoSuperuser()
    {
        await using var command = _database.DataSource.CreateCommand("""
            SELECT (SELECT array_agg(DISTINCT tableowner::text) FROM pg_tables WHERE schemaname = 'public'),
                   rolsuper, rolcreaterole, rolcreatedb
            FROM pg_roles WHERE rolname = 'fleet_app'
            """);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());

        Assert.Equal(["fleet_app"], row.GetFieldValue<string[]>(0));
        Assert.False(row.GetBoolean(1));
        Assert.False(row.GetBoolean(2));
        Assert.False(row.GetBoolean(3));
    }

    [Fact]
    public async Task Migrate_AsFleetAppOnItsOwnDatabase_AppliesEveryMigrationWithoutSuperuser()
    {
        var database = $"fleet_app_{Guid.NewGuid():N}";
        await using (var login = _database.DataSource.CreateCommand("ALTER ROLE fleet_app LOGIN"))
        {
            await login.ExecuteNonQueryAsync();
        }

        // CREATE DATABASE runs only as a statement of its own, outside any batch or transaction.
        await using (var create = _database.DataSource.CreateCommand($"CREATE DATABASE {database} OWNER fleet_app"))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(_database.DataSource.ConnectionString) { Database = database, Username = "fleet_app", Pooling = false };
            await using var app = NpgsqlDataSource.Create(builder.ConnectionString);

            var applied = await new MigrationRunner(app, NullLogger<MigrationRunner>.Instance).MigrateAsync();

            Assert.Equal(MigrationRunner.Embedded.Select(m => m.Version), applied);
        }
        finally
        {
            await using var drop = _database.DataSource.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A connection as <paramref name="role"/> (the throwaway server trusts loopback; a deployment gives the role a password).</summary>
    private async Task<NpgsqlConnection> ConnectAsAsync(string role)
    {
        await using (var login = _database.DataSource.CreateCommand($"ALTER ROLE {role} LOGIN"))
        {
            await login.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_database.DataSource.ConnectionString) { Username = role, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
