using Fleet.Storage.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Storage.Tests;

/// <summary>Proves the test PostgreSQL is real and reachable the way storage will use it.</summary>
public sealed class PostgresVersionTests : IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _postgres;

    public PostgresVersionTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task GetServerVersionNumberAsync_RealServer_ReturnsAVersionWeSupport()
    {
        var version = await PostgresVersion.GetServerVersionNumberAsync(_postgres.DataSource);

        Assert.InRange(version, 130000, 999999);
    }

    [Fact]
    public async Task BinaryCopy_RealServer_RoundTripsTimestampsAndFloatArrays()
    {
        await using (var create = _postgres.DataSource.CreateCommand("CREATE TABLE copy_check (at timestamptz NOT NULL, watts real[] NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        await using (var connection = await _postgres.DataSource.OpenConnectionAsync())
        {
            await using var import = await connection.BeginBinaryImportAsync("COPY copy_check (at, watts) FROM STDIN (FORMAT BINARY)");
            for (var k = 0; k < 100; k++)
            {
                await import.StartRowAsync();
                await import.WriteAsync(at.AddMilliseconds(10 * k), NpgsqlDbType.TimestampTz);
                await import.WriteAsync(new[] { k + 0.5f, -k - 0.25f }, NpgsqlDbType.Array | NpgsqlDbType.Real);
            }

            Assert.Equal(100ul, await import.CompleteAsync());
        }

        await using var query = _postgres.DataSource.CreateCommand("SELECT count(*), sum(watts[1] * 0.01), max(at) FROM copy_check");
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(100L, reader.GetInt64(0));
        Assert.Equal(0.5 * 100 * 0.01 + (99 * 100 / 2 * 0.01), reader.GetDouble(1), 1e-6);
        Assert.Equal(at.AddMilliseconds(990), reader.GetFieldValue<DateTimeOffset>(2));
    }
}
