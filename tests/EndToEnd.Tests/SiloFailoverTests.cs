using System.Globalization;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// Two silos on AdoNet clustering over PostgreSQL; an agent knows both gateways (--gateway, no
/// database credentials). Each silo in turn is SIGKILLed mid-stream (so the meter grain's host dies at least
/// once): grains reactivate on the survivor, the agent fails over, no frame is lost or doubled.
/// </summary>
public sealed class SiloFailoverTests : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 18, 0, 0, TimeSpan.Zero);

    // Dead silos are declared within seconds instead of Orleans' production minute.
    private static readonly Dictionary<string, string> FastMembership = new()
    {
        ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
        ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        ["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Orleans__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Orleans__Membership__DeathVoteExpirationTimeout"] = "00:00:10",
    };

    private readonly PostgresFixture _postgres;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-failover-").FullName;

    public SiloFailoverTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Replay_EachSiloKilledInTurn_EveryFrameStoredOnceWithExactEnergy()
    {
        var noisy = Fixtures.Expected("noisy-6plugs");
        var connectionString = _postgres.DataSource.ConnectionString;
        using var first = new SiloProcess(connectionString, "AdoNet", FastMembership);
        using var second = new SiloProcess(connectionString, "AdoNet", FastMembership);
        await first.StartAsync();
        await second.StartAsync();
        using var agent = AgentProcess.Replay(
            noisy.CapturePath, "box-failover", Start, first.GatewayPort, Path.Combine(_directory, "spool"),
            rate: "realtime",
            "--gateway", $"127.0.0.1:{first.GatewayPort}", "--gateway", $"127.0.0.1:{second.GatewayPort}");

        // Development mode (no TLS): both silos advertise a loopback address, so nothing but this host reaches them.
        await using (var addresses = _postgres.DataSource.CreateCommand("SELECT array_agg(DISTINCT address) FROM orleansmembershiptable"))
        {
            Assert.Equal(["127.0.0.1"], (string[])(await addresses.ExecuteScalarAsync())!);
        }

        await StoredFrames.WaitForAsync(_postgres.DataSource, "box-failover", 500, () => agent.Output, TimeSpan.FromSeconds(120));
        first.Kill();
        await StoredFrames.WaitForAsync(_postgres.DataSource, "box-failover", 1200, () => agent.Output, TimeSpan.FromSeconds(120));
        await first.StartAsync();
        await StoredFrames.WaitForAsync(_postgres.DataSource, "box-failover", 1700, () => agent.Output, TimeSpan.FromSeconds(120));
        second.Kill();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(4)) == 0, agent.Output);

        await using (var count = _postgres.DataSource.CreateCommand("SELECT coalesce(sum(valid_frames), 0), coalesce(sum(frames), 0) FROM sample_chunks WHERE box_id = 'box-failover'"))
        await using (var reader = await count.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.Equal(noisy.FramesValid, reader.GetInt64(0));
            Assert.Equal(noisy.FramesValid + noisy.FramesInvalid, reader.GetInt64(1));
        }

        var from = Uri.EscapeDataString(Start.ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(Start.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        var energy = await first.GetJsonAsync($"/api/energy?box=box-failover&socket=3&from={from}&to={to}");
        Assert.Equal(noisy.EnergyJoules[2], energy.GetProperty("joules").GetDouble(), 1e-4 * noisy.EnergyJoules[2]);
    }
}
