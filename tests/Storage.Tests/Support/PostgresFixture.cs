using Npgsql;

namespace Fleet.Storage.Tests.Support;

/// <summary>
/// The throwaway PostgreSQL cluster that ./test (and CI) starts for the run; its connection
/// string arrives in FLEET_TEST_POSTGRES. Each test class gets a database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "FLEET_TEST_POSTGRES";

    private NpgsqlDataSource? _admin;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public string DatabaseName { get; } = $"fleet_test_{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: run ./test, which starts a throwaway PostgreSQL, or set it to a server you may create databases on");
        }

        _admin = NpgsqlDataSource.Create(connectionString);
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {DatabaseName}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Database = DatabaseName }.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_admin is not null)
        {
            await using (var drop = _admin.CreateCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)"))
            {
                await drop.ExecuteNonQueryAsync();
            }

            await _admin.DisposeAsync();
        }
    }
}
