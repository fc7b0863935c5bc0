using System.Globalization;
using Fleet.AgentHost.Tests.Support;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>One agent serving two boxes on two real serial ports (socat pty pairs at 921600 baud).</summary>
public sealed class MultiBoxAgentTests : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-multibox-").FullName;

    public MultiBoxAgentTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Agent_TwoSerialPorts_EachBoxGetsExactlyItsFrames()
    {
        var six = Fixtures.Expected("clean-6plugs");
        var thirtySix = Fixtures.Expected("clean-36plugs");
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        await silo.StartAsync();
        using var portA = new SocatPtyPair();
        using var portB = new SocatPtyPair();
        using var agent = new ManagedProcess(Binaries.Agent, [
            "--serial", $"{portA.PortPath}=box-a", "--serial", $"{portB.PortPath}=box-b",
            "--gateway-port", silo.GatewayPort.ToString(CultureInfo.InvariantCulture), "--cluster-id", "e2e",
            "--spool", Path.Combine(_directory, "spool"), "--report-every", "1",
        ], new Dictionary<string, string>());
        await WaitUntilAsync(() => agent.Output.Split('\n').Count(l => l.Contains("Opened", StringComparison.Ordinal)) == 2, "both ports open", agent);

        portA.Write(File.ReadAllBytes(six.CapturePath));
        portB.Write(File.ReadAllBytes(thirtySix.CapturePath));

        await WaitUntilAsync(async () => await StoredFrames.CountAsync(_postgres.DataSource, "box-a") == 3000 && await StoredFrames.CountAsync(_postgres.DataSource, "box-b") == 500, "all frames of both boxes", agent);
        Assert.Equal(6, (await silo.GetJsonAsync("/api/boxes/box-a")).GetProperty("plugs").GetInt32());
        Assert.Equal(36, (await silo.GetJsonAsync("/api/boxes/box-b")).GetProperty("plugs").GetInt32());
        Assert.True(Directory.Exists(Path.Combine(_directory, "spool", "box-a")));
        Assert.True(Directory.Exists(Path.Combine(_directory, "spool", "box-b")));
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what, ManagedProcess agent) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, agent);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, ManagedProcess agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || agent.HasExited)
            {
                throw new TimeoutException($"timed out waiting for {what}:\n{agent.Output}");
            }

            await Task.Delay(100);
        }
    }
}
