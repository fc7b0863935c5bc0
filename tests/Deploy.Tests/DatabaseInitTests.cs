using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fleet.Deploy.Tests.Support;
using Fleet.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fleet.Deploy.Tests;

/// <summary>
/// The database's side of the deployment on a real server of its own: scripts/private-postgres.sh
/// as `fleet up` starts it (password authentication, never trust), then deploy/postgres/init run
/// as the database container runs it, then the silos' migrations as fleet_app, and Grafana's
/// fleet_reader with its password.
/// </summary>
public sealed class DatabaseInitTests : IAsyncLifetime
{
    private const string AppPassword = "app-secret-2b81";
    private const string ReaderPassword = "reader-secret-90ce";
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-init-pg-").FullName;
    private readonly int _port = FreePort();
    private string _superuserPassword = string.Empty;

    public async Task InitializeAsync()
    {
        var started = await Tool.RunAsync("bash", [Script, "start", _directory, _port.ToString(CultureInfo.InvariantCulture), "fsync=off"], environment: new Dictionary<string, string?> { ["FLEET_PG_AUTH"] = null });
        Assert.True(started.ExitCode == 0, started.ToString());
        _superuserPassword = (await File.ReadAllTextAsync(Path.Combine(_directory, "password"))).Trim();
    }

    public async Task DisposeAsync()
    {
        await Tool.RunAsync("bash", [Script, "stop", _directory, "immediate"]);
        Directory.Delete(_directory, recursive: true);
    }

    private static string Script => Path.Combine(DeployFiles.RepositoryRoot, "scripts", "private-postgres.sh");

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task PrivateServer_WithoutTheRightPassword_RefusesEvenItsSuperuser(string? password)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("fleet", password, "fleet"));

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    [Fact]
    public async Task InitScriptThenMigrations_RolesWorkWithTheirPasswordsAndNoMore()
    {
        // The container starts with its own database only; the script makes fleet.
        await using (var drop = new NpgsqlConnection(ConnectionString("fleet", _superuserPassword, "postgres")))
        {
            await drop.OpenAsync();
            await using var command = new NpgsqlCommand("DROP DATABASE fleet", drop);
            await command.ExecuteNonQueryAsync();
        }

        var init = await Tool.RunAsync("bash", [Path.Combine(DeployFiles.Directory, "postgres", "init", "10-fleet-roles.sh")], environment: new Dictionary<string, string?>
        {
            ["POSTGRES_USER"] = "fleet",
            ["POSTGRES_DB"] = "postgres",
            ["PGHOST"] = "127.0.0.1",
            ["PGPORT"] = _port.ToString(CultureInfo.InvariantCulture),
            ["PGPASSWORD"] = _superuserPassword,
            ["FLEET_APP_PASSWORD"] = AppPassword,
            ["FLEET_READER_PASSWORD"] = ReaderPassword,
        });
        Assert.True(init.ExitCode == 0, init.ToString());

        await using var app = NpgsqlDataSource.Create(ConnectionString("fleet_app", AppPassword, "fleet"));
        var applied = await new MigrationRunner(app, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        Assert.Equal(MigrationRunner.Embedded.Select(m => m.Version), applied);

        await using var reader = new NpgsqlConnection(ConnectionString("fleet_reader", ReaderPassword, "fleet"));
        await reader.OpenAsync();
        await using (var select = new NpgsqlCommand("SELECT count(*) FROM experiments", reader))
        {
            Assert.Equal(0L, await select.ExecuteScalarAsync());
        }

        await using (var timeout = new NpgsqlCommand("SHOW statement_timeout", reader))
        {
            Assert.Equal("30s", await timeout.ExecuteScalarAsync());
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO machines (name) VALUES ('intruder')", reader))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        await using var wrong = new NpgsqlConnection(ConnectionString("fleet_reader", "guess", "fleet"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    private string ConnectionString(string user, string? password, string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = user, Password = password, Database = database, Pooling = false, Timeout = 10 }.ConnectionString;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
