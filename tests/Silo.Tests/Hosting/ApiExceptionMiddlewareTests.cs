using System.Net;
using Fleet.Silo.Tests.Support;
using Fleet.Storage.Tests.Support;
using Npgsql;

namespace Fleet.Silo.Tests.Hosting;

/// <summary>What the API answers once its database is gone: 503 with the reason, never a 500.</summary>
public sealed class ApiExceptionMiddlewareTests : IClassFixture<SiloFixture>
{
    private readonly SiloFixture _silo;

    public ApiExceptionMiddlewareTests(SiloFixture silo) => _silo = silo;

    [Fact]
    public async Task Api_DatabaseRefusesConnections_ServiceUnavailableWithReason()
    {
        using (var assigned = await _silo.Http.PutAsync(
            new Uri("/api/machines/m1/sockets", UriKind.Relative),
            new StringContent("""{"sockets":["box-a:1"],"from":"2026-11-25T08:00:00Z","force":true}""", System.Text.Encoding.UTF8, "application/json")))
        {
            assigned.EnsureSuccessStatusCode();
        }

        // This class's database only: refuse new connections and end the silo's open ones
        // (from the server's admin database: a database cannot lock itself out).
        var database = new NpgsqlConnectionStringBuilder(_silo.DataSource.ConnectionString).Database;
        await using (var admin = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable(PostgresFixture.EnvironmentVariable)!))
        await using (var refuse = admin.CreateCommand($"""
            ALTER DATABASE "{database}" ALLOW_CONNECTIONS false;
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}';
            """))
        {
            await refuse.ExecuteNonQueryAsync();
        }
        foreach (var path in new[]
        {
            "/api/machines?at=2026-11-25T09:00:00Z",
            "/api/energy?machine=m1&from=2026-11-25T08:00:00Z&to=2026-11-25T09:00:00Z",
            "/api/boxes",
            "/api/machines/m1",
        })
        {
            using var response = await _silo.Http.GetAsync(new Uri(path, UriKind.Relative));

            await SiloApi.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "storage unavailable");
        }
    }
}
