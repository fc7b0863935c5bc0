using System.Net;
using System.Text.Json;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Commands;

/// <summary>Commands as a process against a scripted silo: what they ask for, and what they say.</summary>
public sealed class SiloCommandTests : IDisposable
{
    private const string Finished = """
        {"id":"exp-9","name":"latest run","status":"finished","machines":["srv-1"],"marks":[],"phases":[],
         "started_at":"2026-11-25T10:00:00+00:00","finished_at":"2026-11-25T10:00:10+00:00",
         "results":[{"machine":"srv-1","phase":"","from":"2026-11-25T10:00:00+00:00","to":"2026-11-25T10:00:10+00:00","joules":950.5,"mean_watts":95.05,
                     "peak_watts":99,"frames":1000,"frames_expected":1000,"frames_interpolated":0,"coverage":1,"interpolated_joules":950.5}],
         "results_until":"2026-11-25T10:00:10+00:00"}
        """;

    private const string Marked = """
        {"id":"exp-9","name":"run","status":"running","machines":["srv-1"],
         "marks":[{"name":"warmup","at":"2026-11-25T10:00:02+00:00"},{"name":"epoch-1","at":"2026-11-25T10:00:05.5+00:00"}],
         "phases":[{"name":"warmup","from":"2026-11-25T10:00:02+00:00","to":"2026-11-25T10:00:05.5+00:00"},{"name":"epoch-1","from":"2026-11-25T10:00:05.5+00:00","to":null}],
         "started_at":"2026-11-25T10:00:00+00:00","finished_at":null,"results":[]}
        """;

    private readonly FakeSilo _silo = new();
    private readonly string _home = Directory.CreateTempSubdirectory("fleet-cli-home-").FullName;

    public void Dispose()
    {
        _silo.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Report_NoId_ShowsTheLatestExperiment()
    {
        _silo.Answer(HttpStatusCode.OK, $"[{Finished}]").Answer(HttpStatusCode.OK, Finished);

        var result = await FleetAsync("report");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("experiment exp-9 \"latest run\" finished", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["/api/experiments?count=1", "/api/experiments/exp-9"], _silo.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task ExpMark_SaysWhatItRecorded()
    {
        _silo.Answer(HttpStatusCode.OK, Marked);

        var result = await FleetAsync("exp", "mark", "exp-9", "epoch-1");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("experiment exp-9: phase 'epoch-1' from 2026-11-25 10:00:05.5 UTC (previous phase 'warmup': 3.5 s)\n", result.StandardOutput);
    }

    [Fact]
    public async Task Run_NoMachine_MeasuresTheMachineOfTheConfigFile()
    {
        Directory.CreateDirectory(Path.Combine(_home, "fleet"));
        await File.WriteAllTextAsync(Path.Combine(_home, "fleet", "config.json"), """{"machine":"lab-7"}""");
        _silo.Answer(HttpStatusCode.BadRequest, """{"error":"unknown machine 'lab-7': assign it to a socket first"}""");

        var result = await FleetAsync("run", "--", "true");

        result.AssertCleanError(1, "unknown machine 'lab-7'");
        Assert.Contains("measuring machine lab-7", result.StandardError, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(Assert.Single(_silo.Requests).Body);
        Assert.Equal("lab-7", body.RootElement.GetProperty("machines")[0].GetString());
    }

    [Fact]
    public async Task Run_NoMachineNoConfig_MeasuresThisHost()
    {
        _silo.Answer(HttpStatusCode.BadRequest, """{"error":"unknown machine"}""");

        var result = await FleetAsync("run", "--", "true");

        using var body = JsonDocument.Parse(Assert.Single(_silo.Requests).Body);
        Assert.Equal(Environment.MachineName.Split('.')[0], body.RootElement.GetProperty("machines")[0].GetString());
        Assert.Contains("this host's name", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MachinesAdd_ForceOnABoxNeverSeen_WarnsWithTheSilosReasonAndAssigns()
    {
        _silo.Answer(HttpStatusCode.BadRequest, """{"error":"box 'nobox' has sent no frame yet, so socket nobox:1 cannot be checked"}""")
            .Answer(HttpStatusCode.OK, """[{"machine":"srv-9","box":"nobox","socket":1,"valid_from":"2026-11-25T10:00:00+00:00","valid_to":null}]""");

        var result = await FleetAsync("machines", "add", "srv-9", "--socket", "nobox:1", "--force");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("warning: box 'nobox' has sent no frame yet", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("assigned anyway (--force)", result.StandardError, StringComparison.Ordinal);
        var requests = _silo.Requests.ToList();
        Assert.False(JsonDocument.Parse(requests[0].Body).RootElement.GetProperty("force").GetBoolean());
        Assert.True(JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("force").GetBoolean());
    }

    [Fact]
    public async Task MachinesAdd_BoxNeverSeenWithoutForce_RefusedInOneLine()
    {
        _silo.Answer(HttpStatusCode.BadRequest, """{"error":"box 'nobox' has sent no frame yet"}""");

        var result = await FleetAsync("machines", "add", "srv-9", "--socket", "nobox:1");

        result.AssertCleanError(1, "box 'nobox' has sent no frame yet");
        Assert.Single(_silo.Requests);
    }

    [Fact]
    public async Task Export_ExperimentOnTwoBoxes_OneCsvPerBoxOverItsRun()
    {
        const string experiment = """
            {"id":"exp-2","name":"two boxes","status":"finished","machines":["srv-1"],"marks":[],"phases":[],
             "started_at":"2026-11-25T10:00:00+00:00","finished_at":"2026-11-25T10:00:20+00:00","results":[]}
            """;
        _silo.Answer(HttpStatusCode.OK, experiment)
            .Answer(HttpStatusCode.OK, """
                [{"box":"box-a","socket":1,"from":"2026-11-25T10:00:00+00:00","to":"2026-11-25T10:00:20+00:00"},
                 {"box":"box-b","socket":4,"from":"2026-11-25T10:00:00+00:00","to":"2026-11-25T10:00:20+00:00"}]
                """)
            .Answer(HttpStatusCode.OK, "#timestamp,#frame_is_ok\n1795600800.000000000,true\n")
            .Answer(HttpStatusCode.OK, "#timestamp,#frame_is_ok\n1795600801.000000000,true\n");
        var output = Path.Combine(_home, "run.csv");

        var result = await FleetAsync("export", "exp-2", "-o", output);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var paths = _silo.Requests.Select(r => r.Path).ToList();
        Assert.StartsWith("/api/machines/srv-1/sockets?from=2026-11-25T10%3A00%3A00Z&to=2026-11-25T10%3A00%3A20Z", paths[1], StringComparison.Ordinal);
        Assert.StartsWith("/api/export?box=box-a&from=2026-11-25T10%3A00%3A00Z&to=2026-11-25T10%3A00%3A20Z", paths[2], StringComparison.Ordinal);
        Assert.StartsWith("/api/export?box=box-b&", paths[3], StringComparison.Ordinal);
        Assert.Equal("#timestamp,#frame_is_ok\n1795600800.000000000,true\n", await File.ReadAllTextAsync(Path.Combine(_home, "run-box-a.csv")));
        Assert.Equal("#timestamp,#frame_is_ok\n1795600801.000000000,true\n", await File.ReadAllTextAsync(Path.Combine(_home, "run-box-b.csv")));
        Assert.Contains("box box-a (srv-1 on socket 1)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_MachineOnTwoBoxesToStandardOutput_AsksForAFile()
    {
        _silo.Answer(HttpStatusCode.OK, """
            [{"box":"box-a","socket":1,"from":"2026-11-25T10:00:00+00:00","to":"2026-11-25T10:00:20+00:00"},
             {"box":"box-b","socket":4,"from":"2026-11-25T10:00:00+00:00","to":"2026-11-25T10:00:20+00:00"}]
            """);

        var result = await FleetAsync("export", "--machine", "srv-1", "--from", "2026-11-25T10:00:00Z", "--to", "2026-11-25T10:00:20Z");

        result.AssertCleanError(1, "was measured by 2 boxes (box-a, box-b), one CSV each: give -o FILE.csv");
    }

    /// <summary>Runs fleet against the fake silo, with a config directory of its own; options go before `--`, what follows is `fleet run`'s command.</summary>
    private Task<FleetResult> FleetAsync(params string[] arguments) => FleetProcess.AgainstAsync(_silo.Address, _home, arguments);
}
