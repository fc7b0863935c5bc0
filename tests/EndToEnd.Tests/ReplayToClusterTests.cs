using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// Real PostgreSQL, a real silo process and a real agent process replaying the independent
/// noisy capture: what is stored must be exactly what the capture holds, through faults too.
/// </summary>
public sealed class ReplayToClusterTests : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly PostgresFixture _postgres;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-e2e-").FullName;
    private readonly ExpectedCapture _noisy = Fixtures.Expected("noisy-6plugs");

    public ReplayToClusterTests(PostgresFixture postgres) => _postgres = postgres;

    private string ConnectionString => _postgres.DataSource.ConnectionString;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Replay_NoisyCapture_StoresEveryValidFrameWithExactEnergy()
    {
        using var silo = new SiloProcess(ConnectionString);
        await silo.StartAsync();

        using var agent = AgentProcess.Replay(_noisy.CapturePath, "box-replay", Start, silo.GatewayPort, Path.Combine(_directory, "spool-replay"));
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);

        await AssertStoredExactlyAsync(silo, "box-replay");
    }

    [Fact]
    public async Task Replay_ClusterDownAtFirst_AgentSpoolsAndDeliversWhenItComes()
    {
        using var silo = new SiloProcess(ConnectionString);
        using var agent = AgentProcess.Replay(_noisy.CapturePath, "box-late", Start, silo.GatewayPort, Path.Combine(_directory, "spool-late"));
        await agent.WaitForOutputAsync("still measuring and spooling", TimeSpan.FromSeconds(60));
        Assert.False(agent.HasExited, agent.Output);

        await silo.StartAsync();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);

        await AssertStoredExactlyAsync(silo, "box-late");
    }

    [Fact]
    public async Task Replay_SiloKilledMidStreamAndRestarted_NothingLostNothingDuplicated()
    {
        using var silo = new SiloProcess(ConnectionString);
        await silo.StartAsync();
        // Real-time pace (30 s of frames) so the crash lands mid-stream.
        using var agent = AgentProcess.Replay(_noisy.CapturePath, "box-crash", Start, silo.GatewayPort, Path.Combine(_directory, "spool-crash"), rate: "realtime");
        await StoredFrames.WaitForAsync(_postgres.DataSource, "box-crash", 500, () => silo.Output, TimeSpan.FromSeconds(60));

        silo.Kill();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await silo.StartAsync();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);

        await AssertStoredExactlyAsync(silo, "box-crash");
    }

    private Task AssertStoredExactlyAsync(SiloProcess silo, string box) => StoredCapture.AssertExactlyAsync(_postgres.DataSource, silo, box, _noisy, Start);
}
