using System.Globalization;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Tests.Common;
using Npgsql;

namespace Fleet.EndToEnd.Tests;

/// <summary>PostgreSQL disappears for 30 s mid-stream: agents keep spooling, and everything arrives when it returns.</summary>
public sealed class DatabaseOutageTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 16, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-outage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Replay_PostgresDownFor30Seconds_FramesAndEnergyExactAfterItReturns()
    {
        var noisy = Fixtures.Expected("noisy-6plugs");
        using var postgres = new PrivatePostgres();
        using var silo = new SiloProcess(postgres.ConnectionString);
        await silo.StartAsync();
        using var agent = AgentProcess.Replay(noisy.CapturePath, "box-outage", Start, silo.GatewayPort, Path.Combine(_directory, "spool"), rate: "realtime");
        await using (var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString))
        {
            await StoredFrames.WaitForAsync(dataSource, "box-outage", 500, () => agent.Output, TimeSpan.FromSeconds(60));
        }

        postgres.Stop();
        await Task.Delay(TimeSpan.FromSeconds(30));
        Assert.False(agent.HasExited, $"the agent gave up during the outage:\n{agent.Output}");
        postgres.Start();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, agent.Output);

        await using var verify = NpgsqlDataSource.Create(postgres.ConnectionString);
        Assert.Equal(noisy.FramesValid + noisy.FramesInvalid, await StoredFrames.CountAsync(verify, "box-outage"));
        var from = Uri.EscapeDataString(Start.ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(Start.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        for (var socket = 1; socket <= 5; socket++)
        {
            var energy = await silo.GetJsonAsync($"/api/energy?box=box-outage&socket={socket}&from={from}&to={to}");
            Assert.Equal(noisy.EnergyJoules[socket - 1], energy.GetProperty("joules").GetDouble(), 1e-4 * noisy.EnergyJoules[socket - 1]);
        }
    }
}
