using System.Globalization;
using System.Text.Json;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// The README's shell scenario, run for real: a silo on PostgreSQL, an agent replaying a capture
/// with --start, machines assigned with `fleet machines add`, energy read with `fleet energy --json`.
/// </summary>
public sealed class ScriptedScenarioTests : IClassFixture<ScriptedScenarioTests.Scenario>
{
    private static readonly DateTimeOffset Start = Scenario.Start;
    private readonly ExpectedCapture _noisy = Fixtures.Expected("noisy-6plugs");
    private readonly SiloProcess _silo;

    public ScriptedScenarioTests(Scenario scenario) => _silo = scenario.Silo;

    [Fact]
    public async Task Energy_MachineAndSocketAsJson_MatchTheCapture()
    {
        var machine = await FleetJsonAsync("energy", "--machine", "srv-a", "--from", Iso(Start), "--to", Iso(Start.AddMinutes(1)), "--json");
        var twoSupplies = await FleetJsonAsync("energy", "--machine", "srv-b", "--from", Iso(Start), "--to", Iso(Start.AddMinutes(1)), "--json");
        var socket = await FleetJsonAsync("energy", "--box", "box-s", "--socket", "1", "--from", Iso(Start), "--to", Iso(Start.AddSeconds(30)), "--json");

        Assert.Equal(_noisy.EnergyJoules[2], machine.GetProperty("joules").GetDouble(), 1e-4 * _noisy.EnergyJoules[2]);
        Assert.Equal(_noisy.FramesValid, machine.GetProperty("frames").GetInt64());
        Assert.Equal(_noisy.FramesValid / 6000.0, machine.GetProperty("coverage").GetDouble(), 1e-9);
        var both = _noisy.EnergyJoules[3] + _noisy.EnergyJoules[4];
        Assert.Equal(both, twoSupplies.GetProperty("joules").GetDouble(), 1e-4 * both);
        Assert.Equal(_noisy.EnergyJoules[0], socket.GetProperty("joules").GetDouble(), 1e-4 * _noisy.EnergyJoules[0]);
        Assert.Equal(_noisy.FramesValid / 3000.0, socket.GetProperty("coverage").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task MachinesList_AfterMove_ShowsHistory()
    {
        Assert.Equal(0, (await FleetAsync("machines", "add", "srv-c", "--socket", "box-s:6", "--from", Iso(Start))).ExitCode);
        Assert.Equal(0, (await FleetAsync("machines", "add", "srv-c", "--socket", "box-s:2", "--from", Iso(Start.AddSeconds(10)))).ExitCode);

        var history = (await FleetJsonAsync("machines", "list", "--json")).EnumerateArray().Where(r => r.GetProperty("machine").GetString() == "srv-c").ToList();
        var now = (await FleetJsonAsync("machines", "list", "--at", Iso(Start.AddSeconds(20)), "--json")).EnumerateArray().Where(r => r.GetProperty("machine").GetString() == "srv-c").ToList();

        Assert.Equal([6, 2], history.Select(r => r.GetProperty("socket").GetInt32()));
        Assert.Equal(Start.AddSeconds(10), history[0].GetProperty("valid_to").GetDateTimeOffset());
        Assert.Equal(2, Assert.Single(now).GetProperty("socket").GetInt32());
    }

    [Fact]
    public async Task ExpStartMarkStop_ThenReport_EnergyPerPhaseMatchesTheCapture()
    {
        var id = (await FleetAsync("exp", "start", "--machine", "srv-a", "--name", "sweep", "--at", Iso(Start.AddSeconds(1)))).Output.Trim();
        Assert.Equal(0, (await FleetAsync("exp", "mark", id, "epoch-1", "--at", Iso(Start.AddSeconds(1)))).ExitCode);
        Assert.Equal(0, (await FleetAsync("exp", "mark", id, "epoch-2", "--at", Iso(Start.AddSeconds(11)))).ExitCode);
        var stop = await FleetAsync("exp", "stop", id, "--at", Iso(Start.AddSeconds(21)));
        var report = await FleetJsonAsync("report", id, "--json");
        var csv = await FleetAsync("report", id, "--csv");

        Assert.True(stop.ExitCode == 0, stop.Error);
        Assert.Contains("epoch-2", stop.Output, StringComparison.Ordinal);
        var results = report[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["", "epoch-1", "epoch-2"], results.Select(r => r.GetProperty("phase").GetString()));
        var epoch1 = _noisy.Rows.Where(r => r.IsOk && Steps(r.FrameId) >= 100 && Steps(r.FrameId) < 1100).Sum(r => r.Values[3 + 6 + 2] * 0.010);
        Assert.Equal(epoch1, results[1].GetProperty("joules").GetDouble(), 1e-4 * epoch1);
        Assert.Equal(
            results[1].GetProperty("joules").GetDouble() + results[2].GetProperty("joules").GetDouble(),
            results[0].GetProperty("joules").GetDouble(),
            1e-6);
        Assert.Equal(4, csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Report_TwoExperiments_SideBySideWithTheChange()
    {
        var first = (await FleetAsync("exp", "start", "--machine", "srv-b", "--at", Iso(Start.AddSeconds(2)))).Output.Trim();
        await FleetAsync("exp", "stop", first, "--at", Iso(Start.AddSeconds(7)));
        var second = (await FleetAsync("exp", "start", "--machine", "srv-b", "--at", Iso(Start.AddSeconds(8)))).Output.Trim();
        await FleetAsync("exp", "stop", second, "--at", Iso(Start.AddSeconds(18)));

        var report = await FleetAsync("report", first, second);
        var json = await FleetJsonAsync("report", first, second, "--json");

        Assert.True(report.ExitCode == 0, report.Error);
        // A 5 s and a 10 s run: compared by mean power, not by raw joules (which differ by the lengths).
        var a = json[0].GetProperty("results")[0].GetProperty("mean_watts").GetDouble();
        var b = json[1].GetProperty("results")[0].GetProperty("mean_watts").GetDouble();
        var joulesB = json[1].GetProperty("results")[0].GetProperty("joules").GetDouble();
        var comparison = report.Output[report.Output.IndexOf("side by side", StringComparison.Ordinal)..];
        var row = comparison.Split('\n').Single(l => l.TrimStart().StartsWith("srv-b", StringComparison.Ordinal) && l.Contains("(all)", StringComparison.Ordinal));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{b:F1} W ({(b - a) / a * 100:+0.0;-0.0;0.0}%)"), row, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{joulesB:F1} J"), row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MachinesMove_ThenList_ClosesTheOldAssignment()
    {
        Assert.Equal(0, (await FleetAsync("machines", "add", "srv-m", "--socket", "box-s:6", "--from", Iso(Start.AddDays(1)))).ExitCode);
        var moved = await FleetAsync("machines", "move", "srv-m", "--socket", "box-s:1", "--from", Iso(Start.AddDays(2)));

        var history = (await FleetJsonAsync("machines", "list", "--json")).EnumerateArray().Where(r => r.GetProperty("machine").GetString() == "srv-m").ToList();

        Assert.True(moved.ExitCode == 0, moved.Error);
        Assert.Equal([6, 1], history.Select(r => r.GetProperty("socket").GetInt32()));
        Assert.Equal(Start.AddDays(2), history[0].GetProperty("valid_to").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("valid_to").ValueKind);
    }

    [Fact]
    public async Task StatusAndExpList_Json_ShowTheSiloBoxesMachinesAndExperiments()
    {
        var id = (await FleetAsync("exp", "start", "--machine", "srv-a", "--name", "listed", "--at", Iso(Start.AddSeconds(20)))).Output.Trim();
        await FleetAsync("exp", "stop", id, "--at", Iso(Start.AddSeconds(25)));

        var status = await FleetJsonAsync("status", "--json");
        var list = await FleetJsonAsync("exp", "list", "--json");
        var text = await FleetAsync("status");

        var silo = Assert.Single(status.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.Contains(status.GetProperty("boxes").EnumerateArray(), b => b.GetProperty("box_id").GetString() == "box-s" && b.GetProperty("plugs").GetInt32() == 6);
        Assert.Contains(status.GetProperty("machines").EnumerateArray(), m => m.GetProperty("machine").GetString() == "srv-b");
        Assert.Equal(id, list[0].GetProperty("id").GetString());
        Assert.Equal("finished", list[0].GetProperty("status").GetString());
        Assert.Contains("box-s", text.Output, StringComparison.Ordinal);
        Assert.Contains(id, text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpShow_UnknownExperiment_OneClearLine()
    {
        var result = await FleetAsync("exp", "show", "no-such-exp");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown experiment 'no-such-exp'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", 0, "finished")]
    [InlineData("false", 1, "failed")]
    public async Task Run_Command_KeepsItsExitCodeAndRecordsTheExperiment(string command, int exitCode, string status)
    {
        var result = await FleetAsync("run", "--machine", "srv-b", "--json", "--", command);

        Assert.True(result.ExitCode == exitCode, result.Error);
        var info = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(status, info.GetProperty("status").GetString());
        Assert.Equal(1, info.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Run_CommandNotFound_ExitCode127AndFailedExperiment()
    {
        var result = await FleetAsync("run", "--machine", "srv-b", "--", "/no/such/program");

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("cannot run '/no/such/program'", result.Error, StringComparison.Ordinal);
    }

    private int Steps(int frameId) => (frameId - _noisy.Rows[0].FrameId) & 0xFFFF;

    [Theory]
    [InlineData("unknown machine 'nobody'", "energy", "--machine", "nobody", "--from", "2026-11-25T14:00:00Z", "--to", "2026-11-25T14:01:00Z")]
    [InlineData("must be before --to", "energy", "--machine", "srv-a", "--from", "2026-11-25T14:01:00Z", "--to", "2026-11-25T14:00:00Z")]
    [InlineData("is not a time", "energy", "--machine", "srv-a", "--from", "noon", "--to", "2026-11-25T14:00:00Z")]
    [InlineData("give either --machine NAME or --box BOX --socket N", "energy", "--box", "box-s", "--from", "2026-11-25T14:00:00Z", "--to", "2026-11-25T14:01:00Z")]
    [InlineData("held by srv-a", "machines", "add", "intruder", "--socket", "box-s:3", "--from", "2026-11-25T14:00:00Z")]
    [InlineData("is not a socket", "machines", "add", "srv-z", "--socket", "box-s", "--from", "2026-11-25T14:00:00Z")]
    public async Task BadInput_OneClearLineAndNonZeroExit(string expected, params string[] arguments)
    {
        var result = await FleetAsync(arguments);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloUnreachable_SaysWhereItLookedAndExits1()
    {
        var result = await RunAsync(["energy", "--machine", "srv-a", "--from", Iso(Start), "--to", Iso(Start.AddMinutes(1)), "--url", $"http://127.0.0.1:{FreePorts.Next()}"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot reach the Fleet silo", result.Error, StringComparison.Ordinal);
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<JsonElement> FleetJsonAsync(params string[] arguments)
    {
        var result = await FleetAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    private Task<(int ExitCode, string Output, string Error)> FleetAsync(params string[] arguments) => Scenario.FleetAsync(_silo, arguments);

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments) => Scenario.RunAsync(arguments);

    /// <summary>One silo and one replayed capture for the whole class, with two machines assigned.</summary>
    public sealed class Scenario : IAsyncLifetime
    {
        public static readonly DateTimeOffset Start = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
        private readonly PostgresFixture _postgres = new();
        private readonly string _directory = Directory.CreateTempSubdirectory("fleet-scenario-").FullName;

        public SiloProcess Silo { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            Silo = new SiloProcess(_postgres.DataSource.ConnectionString);
            await Silo.StartAsync();
            using var agent = AgentProcess.Replay(Fixtures.Capture("noisy-6plugs"), "box-s", Start, Silo.GatewayPort, Path.Combine(_directory, "spool"));
            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);
            Assert.Equal(0, (await FleetAsync(Silo, "machines", "add", "srv-a", "--socket", "box-s:3", "--from", Iso(Start.AddHours(-1)))).ExitCode);
            Assert.Equal(0, (await FleetAsync(Silo, "machines", "add", "srv-b", "--socket", "box-s:4", "--socket", "box-s:5", "--from", Iso(Start.AddHours(-1)))).ExitCode);
        }

        public async Task DisposeAsync()
        {
            Silo.Dispose();
            await _postgres.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }

        public static Task<(int ExitCode, string Output, string Error)> FleetAsync(SiloProcess silo, params string[] arguments) => FleetCli.AgainstAsync(silo, arguments);

        public static Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments) => FleetCli.RunAsync(arguments);
    }
}
