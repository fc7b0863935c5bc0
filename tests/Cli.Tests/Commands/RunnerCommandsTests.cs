using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Runs;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Commands;

/// <summary>`fleet submit`, `queue`, `logs`, `sockets identify` as a process against a scripted silo: what they ask, print and exit with.</summary>
public sealed class RunnerCommandsTests : IDisposable
{
    private readonly FakeSilo _silo = new();
    private readonly string _home = Directory.CreateTempSubdirectory("fleet-cli-home-").FullName;

    public void Dispose()
    {
        _silo.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Submit_NoWait_SendsTheCommandAsArgvAndPrintsTheId()
    {
        _silo.Answer(HttpStatusCode.Created, Bodies.Json(Bodies.Submitted("exp-7", ExperimentStatus.Queued, "srv-1")));

        var result = await FleetAsync("submit", "--machine", "srv-1", "--idle-baseline", "2m", "--cwd", "/data/run", "--env", "OMP_NUM_THREADS=8", "--env", "MODE=a=b", "--", "./bench.sh", "--fast", "two words");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("exp-7\n", result.StandardOutput);
        var request = Assert.Single(_silo.Requests);
        Assert.Equal(("POST", "/api/submissions"), (request.Method, request.Path));
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(["./bench.sh", "--fast", "two words"], root.GetProperty("command").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["srv-1"], root.GetProperty("machines").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(120, root.GetProperty("idle_baseline_seconds").GetDouble());
        Assert.Equal("/data/run", root.GetProperty("working_directory").GetString());
        Assert.Equal("8", root.GetProperty("environment").GetProperty("OMP_NUM_THREADS").GetString());
        Assert.Equal("a=b", root.GetProperty("environment").GetProperty("MODE").GetString());
    }

    [Theory]
    [InlineData("--idle-baseline", "soon", "--idle-baseline 'soon' is not a duration")]
    [InlineData("--env", "NOEQUALS", "--env 'NOEQUALS' is not K=V")]
    public async Task Submit_BadOption_RefusedBeforeAnyRequest(string option, string value, string expected)
    {
        var result = await FleetAsync("submit", "--machine", "srv-1", option, value, "--", "true");

        result.AssertCleanError(2, expected);
        Assert.Empty(_silo.Requests);
    }

    [Fact]
    public async Task SubmitWait_QueuedThenBaselineThenRunning_SaysEachOnceAndExitsWithTheFirstNonZeroExitCode()
    {
        _silo.Answer(HttpStatusCode.Created, Bodies.Json(Bodies.Submitted("exp-8", ExperimentStatus.Queued, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-8", ExperimentStatus.Queued, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(new QueueResponse(
                [new QueueEntryResponse(1, "exp-big", "big", ExperimentStatus.Running, ["srv-2"], Bodies.T, Bodies.T, []),
                 new QueueEntryResponse(2, "exp-8", "bench", ExperimentStatus.Queued, ["srv-1", "srv-2"], Bodies.T, null, ["exp-big"])])))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-8", ExperimentStatus.Baseline, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-8", ExperimentStatus.Running, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-8", ExperimentStatus.Running, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Ended("exp-8", ExperimentStatus.Failed, [Bodies.Run("srv-1", 0), Bodies.Run("srv-2", 3), Bodies.Run("srv-3", 4)])));

        var result = await FleetAsync("submit", "--machine", "srv-1", "--machine", "srv-2", "--wait", "--", "./bench.sh");

        Assert.True(result.ExitCode == 3, $"exit code {result.ExitCode}: {result.StandardError}");
        var progress = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "fleet submit: experiment exp-8 submitted",
                "fleet submit: queued behind exp-big",
                "fleet submit: measuring the idle baseline of srv-1, srv-2 (30.0 s)",
                "fleet submit: running on srv-1, srv-2",
            ],
            progress);
        Assert.Contains("run on srv-2 (host srv-2.lab): exit 3, 12.0 s", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(
            ["POST /api/submissions", "GET /api/experiments/exp-8", "GET /api/queue", "GET /api/experiments/exp-8", "GET /api/experiments/exp-8", "GET /api/experiments/exp-8", "GET /api/experiments/exp-8"],
            _silo.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task SubmitWait_RunnerLost_ExitsOneWithTheReason()
    {
        _silo.Answer(HttpStatusCode.Created, Bodies.Json(Bodies.Submitted("exp-9", ExperimentStatus.Queued, "srv-1")))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Ended("exp-9", ExperimentStatus.Failed, [Bodies.Run("srv-1", null, "runner lost: no heartbeat for 30 s")], "the runner of srv-1 went silent")));

        var result = await FleetAsync("submit", "--machine", "srv-1", "--wait", "--", "./bench.sh");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("fleet submit: experiment exp-9 failed: the runner of srv-1 went silent", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("run on srv-1 (host srv-1.lab): failed, 12.0 s: runner lost: no heartbeat for 30 s", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitWait_Cancelled_Exits130()
    {
        _silo.Answer(HttpStatusCode.Created, Bodies.Json(Bodies.Submitted("exp-c", ExperimentStatus.Queued, "srv-1")))
            .Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Ended("exp-c", ExperimentStatus.Cancelled, [Bodies.Run("srv-1", null, "cancelled")])));

        var result = await FleetAsync("submit", "--machine", "srv-1", "--wait", "--", "./bench.sh");

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("experiment exp-c was cancelled", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitWait_CtrlC_StopsWaitingAndSaysHowToCancel()
    {
        _silo.Answer(HttpStatusCode.Created, Bodies.Json(Bodies.Submitted("exp-long", ExperimentStatus.Running, "srv-1")));
        for (var k = 0; k < 200; k++)
        {
            _silo.Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-long", ExperimentStatus.Running, "srv-1")));
        }

        // Through env --default-signal: a test run started in the background (`./test &`, nohup)
        // passes SIGINT down ignored, and .NET keeps an inherited ignore, so Ctrl-C would never arrive.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "Fleet.Cli.dll"), "submit", "--machine", "srv-1", "--wait", "--url", _silo.Address.ToString(), "--", "./bench.sh" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("FLEET_URL");
        start.Environment.Remove("FLEET_TOKEN");
        start.Environment["XDG_CONFIG_HOME"] = _home;
        using var fleet = Process.Start(start)!;
        var errors = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            while (await fleet.StandardError.ReadLineAsync() is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        });
        var output = fleet.StandardOutput.ReadToEndAsync();

        try
        {
            await WaitForAsync(() => Text(errors).Contains("running on srv-1", StringComparison.Ordinal), "the running line", errors);
            using (var interrupt = Process.Start("kill", ["-INT", fleet.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await fleet.WaitForExitAsync(exit.Token);
            await reading;
        }
        finally
        {
            if (!fleet.HasExited)
            {
                fleet.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(130, fleet.ExitCode);
        Assert.Contains("experiment exp-long keeps running on the cluster", Text(errors), StringComparison.Ordinal);
        Assert.Contains("fleet cancel exp-long", Text(errors), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Text(errors), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await output);
    }

    [Fact]
    public async Task LogsFollow_TwoMachines_PrefixedInOrderStderrApartUntilDone()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-l", ExperimentStatus.Running, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([Bodies.Line(1, "srv-1", "epoch 1"), Bodies.Line(2, "srv-2", "epoch 1\tloss 0.5")], 2, false)))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([], 2, false)))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([Bodies.Line(3, "srv-2", "low memory\u001b[31m", "stderr")], 3, true)))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([], 3, true)));

        var result = await FleetAsync("logs", "exp-l", "--follow");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(["[srv-1] epoch 1", "[srv-2] epoch 1\tloss 0.5"], result.OutputLines);
        Assert.Equal("[srv-2] low memory\\x1b[31m\n", result.StandardError);
        Assert.Equal(
            ["/api/experiments/exp-l", "/api/experiments/exp-l/logs?after=0", "/api/experiments/exp-l/logs?after=2", "/api/experiments/exp-l/logs?after=2", "/api/experiments/exp-l/logs?after=3"],
            _silo.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Logs_NoFollow_ReadsWhatIsStoredAndStopsWhileTheRunGoesOn()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-l", ExperimentStatus.Running, "srv-1", "srv-2")))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([Bodies.Line(5, "srv-1", "step 5")], 5, false)))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([], 5, false)));

        var result = await FleetAsync("logs", "exp-l", "--machine", "srv-1");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(["step 5"], result.OutputLines);
        Assert.Equal("/api/experiments/exp-l/logs?after=5&machine=srv-1", _silo.Requests.Last().Path);
    }

    [Fact]
    public async Task Logs_Json_OneObjectPerLineOnStdoutWhateverItsSource()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Submitted("exp-j", ExperimentStatus.Finished, "srv-1")))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([Bodies.Line(1, "srv-1", "out"), Bodies.Line(2, "srv-1", "err", "stderr")], 2, true)))
            .Answer(HttpStatusCode.OK, Bodies.Json(new LogsResponse([], 2, true)));

        var result = await FleetAsync("logs", "exp-j", "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([("out", "stdout"), ("err", "stderr")], lines.Select(l => (l.GetProperty("text").GetString(), l.GetProperty("source").GetString())));
        Assert.Equal(2, lines[1].GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Queue_ShowsPositionStatusAndWhomEachWaitsFor()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(new QueueResponse(
            [new QueueEntryResponse(1, "exp-big", "big", ExperimentStatus.Running, ["srv-2"], Bodies.T, Bodies.T, []),
             new QueueEntryResponse(2, "exp-8", "bench", ExperimentStatus.Queued, ["srv-1", "srv-2"], Bodies.T.AddMinutes(1), null, ["exp-big"])])));

        var result = await FleetAsync("queue");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.OutputLines;
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^\s+1 exp-big\s+running\s+2026-11-25 10:00:00\s+srv-2\s+-$", lines[1]);
        Assert.Matches(@"^\s+2 exp-8\s+queued\s+2026-11-25 10:01:00\s+srv-1, srv-2\s+exp-big$", lines[2]);
    }

    [Fact]
    public async Task SocketsIdentify_Proposal_TableAndExitZero()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(new IdentifyResponse(
            "srv-1", 42, 30, 1, Bodies.T, Bodies.T.AddSeconds(30),
            [new SocketCandidateResponse("box-a", 3, 0.97, 182.5, 96.4), new SocketCandidateResponse("box-a", 1, 0.05, 110, 109.8)],
            [new ProposedSocketResponse("box-a", 3)],
            null,
            false)));

        var result = await FleetAsync("sockets", "identify", "srv-1", "--box", "box-a", "--seed", "42");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("driving a load pattern on srv-1 for about 30 s", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(result.OutputLines, l => l.Contains("box-a:3", StringComparison.Ordinal) && l.Contains("+0.970", StringComparison.Ordinal) && l.Contains("182.5", StringComparison.Ordinal) && l.Contains("96.4", StringComparison.Ordinal) && l.Contains("← proposed", StringComparison.Ordinal));
        Assert.Contains("proposed: srv-1 on box-a:3", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fleet machines add srv-1 --socket box-a:3", result.StandardOutput, StringComparison.Ordinal);
        var request = Assert.Single(_silo.Requests);
        Assert.Equal("/api/machines/srv-1/identify", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("box-a", body.RootElement.GetProperty("box").GetString());
        Assert.Equal(42, body.RootElement.GetProperty("seed").GetInt32());
        Assert.False(body.RootElement.GetProperty("apply").GetBoolean());
    }

    [Fact]
    public async Task SocketsIdentify_Refusal_SaysWhyAndExitsOne()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(new IdentifyResponse(
            "srv-1", 7, 30, 1, Bodies.T, Bodies.T.AddSeconds(30),
            [new SocketCandidateResponse("box-a", 3, 0.41, 120, 118), new SocketCandidateResponse("box-a", 4, 0.39, 130, 129)],
            [],
            "no socket clearly above the rest (0.41 against 0.39)",
            false)));

        var result = await FleetAsync("sockets", "identify", "srv-1", "--apply");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no socket proposed: no socket clearly above the rest (0.41 against 0.39)", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("← proposed", result.StandardOutput, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(Assert.Single(_silo.Requests).Body);
        Assert.True(body.RootElement.GetProperty("apply").GetBoolean());
    }

    [Fact]
    public async Task Cancel_TopLevel_SameRequestAsExpCancel()
    {
        _silo.Answer(HttpStatusCode.OK, Bodies.Json(Bodies.Ended("exp-c", ExperimentStatus.Cancelled, [])));

        var result = await FleetAsync("cancel", "exp-c");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("POST /api/experiments/exp-c/cancel", _silo.Requests.Select(r => $"{r.Method} {r.Path}").Single());
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, StringBuilder output)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"no {what} within 60 s; fleet said:\n{Text(output)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Runs fleet against the fake silo, with a config directory of its own; options go before `--`, the command after.</summary>
    private Task<FleetResult> FleetAsync(params string[] arguments) => FleetProcess.AgainstAsync(_silo.Address, _home, arguments);
}
