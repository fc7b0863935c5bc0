using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// Nothing lost, nothing doubled, through the agent's own faults: a crash, a replay run again,
/// a batch the cluster refuses for good, a second agent on the same box. Real processes on a
/// real PostgreSQL; every wait is on a condition.
/// </summary>
public sealed partial class AgentReliabilityTests : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly PostgresFixture _postgres;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-agent-faults-").FullName;
    private readonly ExpectedCapture _noisy = Fixtures.Expected("noisy-6plugs");

    public AgentReliabilityTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Agent_KilledMidStreamAndRestartedOnItsSpool_StoredFramesEqualTheCaptureNoneDoubled()
    {
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        await silo.StartAsync();
        var spool = Path.Combine(_directory, "spool-kill");
        // Real-time pace (30 s of frames) so the kill lands mid-stream, with batches spooled and unsent.
        using (var agent = AgentProcess.Replay(_noisy.CapturePath, "box-agent-kill", Start, silo.GatewayPort, spool, rate: "realtime"))
        {
            await StoredFrames.WaitForAsync(_postgres.DataSource, "box-agent-kill", 500, () => agent.Output, TimeSpan.FromSeconds(90));
            agent.Kill();
        }

        var before = await StoredFrames.CountAsync(_postgres.DataSource, "box-agent-kill");
        Assert.InRange(before, 500, _noisy.Rows.Count - 1);

        // Restarted on the same spool: it resends what was spooled, then replays the capture from
        // its start; whatever the first run stored is recognised and not stored again.
        using var restarted = AgentProcess.Replay(_noisy.CapturePath, "box-agent-kill", Start, silo.GatewayPort, spool);
        Assert.True(await restarted.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, restarted.Output);

        await StoredCapture.AssertExactlyAsync(_postgres.DataSource, silo, "box-agent-kill", _noisy, Start);
        Assert.Contains("already stored", restarted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_SameCaptureAndStartRunAgain_EndsQuicklyStoresNothingAndSaysAlreadyStored()
    {
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        await silo.StartAsync();
        var spool = Path.Combine(_directory, "spool-twice");
        using (var first = AgentProcess.Replay(_noisy.CapturePath, "box-twice", Start, silo.GatewayPort, spool))
        {
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, first.Output);
        }

        // Once on its spool, once from another spool (another agent): both end, neither stores.
        foreach (var again in new[] { spool, Path.Combine(_directory, "spool-twice-other") })
        {
            using var second = AgentProcess.Replay(_noisy.CapturePath, "box-twice", Start, silo.GatewayPort, again);
            Assert.True(await second.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, second.Output);

            Assert.Contains("Frames already stored", second.Output, StringComparison.Ordinal);
            Assert.Matches(DoneLine(), second.Output);
            var done = DoneLine().Match(second.Output);
            Assert.Equal("0", done.Groups["stored"].Value);
            Assert.Equal("0", done.Groups["quarantined"].Value);
            Assert.Equal(_noisy.Rows.Count.ToString(CultureInfo.InvariantCulture), done.Groups["frames"].Value);
        }

        await StoredCapture.AssertExactlyAsync(_postgres.DataSource, silo, "box-twice", _noisy, Start);
    }

    [Fact]
    public async Task Agent_BatchRefusedForGood_QuarantinedWithItsReasonAndTheBatchesAfterItStored()
    {
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        await silo.StartAsync();
        // Another source already measured one second of the period the agent will replay, with
        // other values: the agent's batches over that second can never be stored.
        var imported = await silo.Http.PostAsJsonAsync("/api/boxes/box-refused/frames", new
        {
            source_id = "other-file",
            sequence = 1,
            plugs = 6,
            times_unix_microseconds = Enumerable.Range(0, 100).Select(k => Microseconds(Start.AddSeconds(10)) + (k * 10_000L)).ToArray(),
            valid = Enumerable.Repeat(true, 100).ToArray(),
            voltages_volts = Enumerable.Repeat(230f, 300).ToArray(),
            currents_amperes = Enumerable.Repeat(0.01f, 600).ToArray(),
            powers_watts = Enumerable.Repeat(1f, 600).ToArray(),
        });
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var spool = Path.Combine(_directory, "spool-refused");
        using var agent = AgentProcess.Replay(_noisy.CapturePath, "box-refused", Start, silo.GatewayPort, spool);
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);

        var quarantined = RefusedLine().Matches(agent.Output).Select(m => long.Parse(m.Groups["frames"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(quarantined.Count, 1, 3);
        Assert.Contains("already has frames between", agent.Output, StringComparison.Ordinal);
        var reasons = Directory.GetFiles(Path.Combine(spool, "rejected")).Where(f => !f.EndsWith(".batch", StringComparison.Ordinal)).ToList();
        Assert.Equal(quarantined.Count, reasons.Count);
        Assert.All(reasons, f => Assert.Contains("already has frames between", File.ReadAllText(f), StringComparison.Ordinal));

        // Everything else of the capture is stored, after the refused batches as before them.
        Assert.Equal(_noisy.Rows.Count - quarantined.Sum() + 100, await StoredFrames.CountAsync(_postgres.DataSource, "box-refused"));
        var late = await FramesAfterAsync("box-refused", Start.AddSeconds(15));
        Assert.Equal(_noisy.Rows.Count - FramesOfCaptureBefore(Start.AddSeconds(15)), late);
        var health = await silo.GetJsonAsync("/api/boxes/box-refused");
        // The meter counts the calls it refused: a catch-up call that held a culprit among other
        // batches is refused whole once, then its batches go one by one and only the culprit is
        // refused again and quarantined. So each quarantined batch was refused once or twice.
        Assert.InRange(health.GetProperty("batches_rejected").GetInt64(), quarantined.Count, 2 * quarantined.Count);
    }

    [Fact]
    public async Task SecondAgentOnTheSameBox_RefusedNamingTheFirstAgentsHostAndTheEnergyStaysRight()
    {
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        await silo.StartAsync();
        using var first = Simulated("box-shared", Path.Combine(_directory, "spool-first"), silo.GatewayPort);
        await StoredFrames.WaitForAsync(_postgres.DataSource, "box-shared", 300, () => first.Output, TimeSpan.FromSeconds(90));

        using var second = Simulated("box-shared", Path.Combine(_directory, "spool-second"), silo.GatewayPort);
        await second.WaitForOutputAsync($"Refused: box box-shared is fed by the agent on {Environment.MachineName}", TimeSpan.FromSeconds(90));
        // A few more seconds of the first agent's frames while the second keeps trying.
        var stored = await StoredFrames.CountAsync(_postgres.DataSource, "box-shared");
        await StoredFrames.WaitForAsync(_postgres.DataSource, "box-shared", stored + 300, () => first.Output + "\n" + second.Output, TimeSpan.FromSeconds(90));
        Assert.False(second.HasExited, second.Output);

        // One stream only: the constant 95 W socket reads 95 W, not 190, and about 100 frames a
        // second, not 200 (the receipt clock may stamp a few more while it catches up on a busy host).
        var (firstFrame, lastFrame) = await FrameSpanAsync("box-shared");
        var from = Uri.EscapeDataString(firstFrame.ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(lastFrame.ToString("O", CultureInfo.InvariantCulture));
        var energy = await silo.GetJsonAsync($"/api/energy?box=box-shared&socket=1&from={from}&to={to}");
        Assert.InRange(energy.GetProperty("mean_watts").GetDouble(), 94, 96);
        var expected = energy.GetProperty("frames_expected").GetInt64();
        Assert.InRange(energy.GetProperty("frames").GetInt64(), 1, (long)(expected * 1.05) + 5);
        Assert.InRange(energy.GetProperty("coverage").GetDouble(), 0.9, 1.0);
    }

    private static ManagedProcess Simulated(string box, string spool, int gatewayPort) => new(Binaries.Agent, [
        "--simulate", "--box", box, "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture),
        "--cluster-id", "e2e", "--spool", spool, "--report-every", "1",
    ], new Dictionary<string, string>());

    private static long Microseconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10;

    /// <summary>Frames of the noisy capture (frame k at Start + k × 10 ms by its frame id step) timed before <paramref name="time"/>.</summary>
    private long FramesOfCaptureBefore(DateTimeOffset time)
    {
        var firstId = _noisy.Rows[0].FrameId;
        return _noisy.Rows.Count(r => Start.AddTicks(((r.FrameId - firstId + 65536) % 65536) * TimeSpan.TicksPerMillisecond * 10) < time);
    }

    private async Task<long> FramesAfterAsync(string box, DateTimeOffset time)
    {
        var since = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return (await StoredFrames.TimesAsync(_postgres.DataSource, box)).Count(t => t >= since);
    }

    private async Task<(DateTimeOffset First, DateTimeOffset Last)> FrameSpanAsync(string box)
    {
        await using var span = _postgres.DataSource.CreateCommand("SELECT min(second), max(second) FROM sample_chunks WHERE box_id = $1");
        span.Parameters.AddWithValue(box);
        await using var reader = await span.ExecuteReaderAsync();
        await reader.ReadAsync();
        // Whole seconds inside the stored span: [first + 1 s, last).
        return (reader.GetFieldValue<DateTimeOffset>(0).AddSeconds(1), reader.GetFieldValue<DateTimeOffset>(1));
    }

    [GeneratedRegex(@"Done: (?<read>\d+) frames read, \d+ batches acknowledged by the cluster: (?<stored>\d+) stored, \d+ already stored \((?<frames>\d+) frames not stored twice\), (?<quarantined>\d+) quarantined")]
    private static partial Regex DoneLine();

    [GeneratedRegex(@"Batch \d+ \((?<frames>\d+) frames\) refused for good and quarantined")]
    private static partial Regex RefusedLine();
}
