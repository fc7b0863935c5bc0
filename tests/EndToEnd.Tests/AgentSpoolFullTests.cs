using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;
using Xunit.Abstractions;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// The agent's spool on a real, tiny filesystem while no silo runs: the disk fills, the agent
/// keeps running and counts the frames it drops (newest dropped); once a silo comes, every frame
/// it accepted is stored exactly once.
/// </summary>
public sealed partial class AgentSpoolFullTests : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly PostgresFixture _postgres;
    private readonly ITestOutputHelper _output;

    public AgentSpoolFullTests(PostgresFixture postgres, ITestOutputHelper output)
    {
        _postgres = postgres;
        _output = output;
    }

    [Fact]
    public async Task Replay_SpoolFilesystemFillsWithNoSilo_AgentKeepsRunningAndStoresExactlyTheAcceptedFrames()
    {
        var noisy = Fixtures.Expected("noisy-6plugs");
        var frames = noisy.FramesValid + noisy.FramesInvalid;
        // ~30 batches of ~7 KiB in the capture; 96 KiB hold about a dozen of them.
        using var disk = new SmallFilesystem(kibibytes: 96);
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        using var agent = AgentProcess.Replay(noisy.CapturePath, "box-full", Start, silo.GatewayPort, Path.Combine(disk.Path, "spool"));

        // The whole capture is read (at full speed) while nothing can be sent. The second report
        // after the end of input comes from a tick that checked the drop count after it ended, so
        // the last SPOOL FULL line then holds the final count.
        await WaitForAsync(agent, () => ReportsAfterInputEnded(agent.Output) >= 2, "the end of input and two reports after it");
        Assert.False(agent.HasExited, $"the agent stopped on a full disk:\n{agent.Output}");
        var dropped = SpoolFull().Matches(agent.Output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).LastOrDefault();
        Assert.True(dropped > 0, $"no SPOOL FULL with a count:\n{agent.Output}");
        Assert.InRange(dropped, frames / 3, frames - 100);

        await silo.StartAsync();
        Assert.True(await agent.WaitForExitAsync(Patience) == 0, agent.Output);

        var times = await StoredFrames.TimesAsync(_postgres.DataSource, "box-full");
        _output.WriteLine($"capture {frames} frames, dropped on the full disk {dropped}, stored {times.Count}");
        Assert.Equal(frames - dropped, times.Count);
        Assert.Equal(times.Count, times.Distinct().Count());
    }

    private static int ReportsAfterInputEnded(string output)
    {
        var ended = output.IndexOf("Input ended", StringComparison.Ordinal);
        return ended < 0 ? 0 : Regex.Count(output.AsSpan(ended), "frames valid=");
    }

    private static async Task WaitForAsync(ManagedProcess process, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException($"never saw {what} (exited: {process.HasExited}):\n{process.Output}");
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"SPOOL FULL \(.*?\): (\d+) frames dropped")]
    private static partial Regex SpoolFull();
}
