using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.AgentHost.Tests.Support;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// `fleet up --serial PORT=BOX` as the README's walkthrough runs it: the local stack's agent reads a
/// real serial port (a socat pty pair standing in for /dev/ttyUSB0) instead of the simulator, and
/// the box's frames reach `fleet energy` exactly.
/// </summary>
public sealed class UpSerialTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("fleet-up-serial-").FullName;

    private string DataDirectory => Path.Combine(_home, "data");

    public void Dispose()
    {
        // As root, the stack's PostgreSQL lives under /var/lib/fleet, one directory per data directory (LocalStack).
        var postgres = Path.Combine("/var/lib/fleet", "postgres-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(DataDirectory))))[..12].ToLowerInvariant());
        if (Environment.UserName == "root" && Directory.Exists(postgres))
        {
            Directory.Delete(postgres, recursive: true);
        }

        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Up_SerialPortOfABox_ItsFramesStoredAndTheEnergyExact()
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        using var port = new SocatPtyPair();
        var environment = new Dictionary<string, string> { ["FLEET_REPO"] = Binaries.Repository, ["FLEET_DATA"] = DataDirectory };
        // Its first use builds the Release stack: on two cores shared with the other end-to-end tests that alone can take minutes.
        var up = await FleetCli.RunAsync(["up", "--serial", $"{port.PortPath}=box-usb", "--any-ports"], environment, TimeSpan.FromMinutes(10));
        try
        {
            Assert.True(up.ExitCode == 0, $"exit {up.ExitCode}\n{up.Output}\n{up.Error}");
            Assert.Contains($"reading {port.PortPath} as box box-usb", up.Error, StringComparison.Ordinal);
            var url = $"http://127.0.0.1:{JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "stack.json"))).RootElement.GetProperty("http_port").GetInt32()}";
            var agentLog = Path.Combine(DataDirectory, "agent.log");
            await WaitUntilAsync(() => Task.FromResult(File.Exists(agentLog) && File.ReadAllText(agentLog).Contains("Opened", StringComparison.Ordinal)), "the agent to open the port", agentLog);

            port.Write(await File.ReadAllBytesAsync(expected.CapturePath));

            // The frames are timed by the agent's clock on arrival, ten seconds of them: a window around now holds them all.
            JsonElement energy = default;
            await WaitUntilAsync(
                async () =>
                {
                    var result = await FleetCli.RunAsync(["energy", "--box", "box-usb", "--socket", "3", "--from", "-10m", "--to", "+10m", "--json", "--url", url], environment);
                    energy = result.ExitCode == 0 ? JsonDocument.Parse(result.Output).RootElement.Clone() : default;
                    return result.ExitCode == 0 && energy.GetProperty("frames").GetInt64() == expected.FramesValid;
                },
                $"{expected.FramesValid} frames of box-usb",
                agentLog);
            Assert.Equal(expected.EnergyJoules[2], energy.GetProperty("joules").GetDouble(), 1e-4 * expected.EnergyJoules[2]);
            var status = await FleetCli.RunAsync(["status", "--json"], environment);
            Assert.True(status.ExitCode == 0, status.Error);
            Assert.Contains(JsonDocument.Parse(status.Output).RootElement.GetProperty("boxes").EnumerateArray(), b => b.GetProperty("box_id").GetString() == "box-usb");
        }
        finally
        {
            var down = await FleetCli.RunAsync(["down"], environment, TimeSpan.FromMinutes(2));
            Assert.True(down.ExitCode == 0, down.Error);
        }
    }

    [Fact]
    public async Task Up_SerialPortThatDoesNotExist_OneLineNamingItBeforeStartingAnything()
    {
        var environment = new Dictionary<string, string> { ["FLEET_REPO"] = Binaries.Repository, ["FLEET_DATA"] = DataDirectory };

        var up = await FleetCli.RunAsync(["up", "--serial", "/dev/ttyUSB97=box-usb"], environment);

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("no serial port /dev/ttyUSB97: is the box plugged in", up.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(DataDirectory, "stack.json")));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, string agentLog)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var log = File.Exists(agentLog) ? await File.ReadAllTextAsync(agentLog) : "(no agent log)";
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"timed out waiting for {what}; agent log:\n{log}"));
            }

            await Task.Delay(500);
        }
    }
}
