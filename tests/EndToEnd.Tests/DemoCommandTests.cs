using System.Diagnostics;
using Fleet.EndToEnd.Tests.Support;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// `fleet demo`, the README's first command, run as a user runs it: a private PostgreSQL, a
/// silo and an agent started and stopped by the command itself, energy checked against the
/// simulator's profile, nothing left running.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("fleet-demo-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Demo_ShortRun_EnergyWithinHalfAPercentOfTheProfileAndNothingLeftRunning()
    {
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Binaries.Cli)!, "..", "..", "..", "..", ".."));
        var plot = Path.Combine(_home, "demo.png");
        // Its own temporary directory, so "nothing left running" looks at this demo's processes only.
        var temp = Directory.CreateDirectory(Path.Combine(_home, "tmp")).FullName + "/";
        // The first of the demo and `fleet up` to run builds the Release stack: on two cores shared
        // with the other end-to-end tests (and stress-ng) that alone has taken more than 5 minutes.
        var demo = await FleetCli.RunAsync(
            ["demo", "--seconds", "6", "--out", plot],
            new Dictionary<string, string> { ["FLEET_REPO"] = repository, ["FLEET_DATA"] = Path.Combine(_home, "data"), ["TMPDIR"] = temp },
            TimeSpan.FromMinutes(10));
        var text = demo.Output;

        Assert.True(demo.ExitCode == 0, $"exit {demo.ExitCode}\n{text}\n{demo.Error}");
        Assert.Contains("every machine and phase within 0.5 % of the profile", text, StringComparison.Ordinal);
        foreach (var machine in new[] { "idle-srv", "burst-srv", "gpu-srv" })
        {
            Assert.Equal(3, text.Split('\n').Count(l => l.TrimStart().StartsWith(machine, StringComparison.Ordinal) && l.Contains("100.0%", StringComparison.Ordinal)));
        }

        // The plot: a real PNG of the requested default size with more than a blank canvas in it.
        var png = await File.ReadAllBytesAsync(plot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1600, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(900, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.True(png.Length > 30_000, $"plot is only {png.Length} bytes");

        // Without --keep the demo stops what it started.
        Assert.DoesNotContain(Process.GetProcesses(), p => IsFleetProcessUnder(p, temp));
        Assert.False(File.Exists(Path.Combine(_home, "data", "stack.json")));
    }

    private static bool IsFleetProcessUnder(Process process, string directory)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
            return commandLine.Contains("fleet-demo-", StringComparison.Ordinal) && commandLine.Contains(directory, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
