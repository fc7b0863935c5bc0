using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fleet.AgentHost.Tests.Components;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// Runners for real: PostgreSQL, a silo, a simulated box whose sockets 2 and 5 are wired to the
/// load signals of two runner processes on this host (machines m-a and m-b), a fake RAPL tree
/// and a fake nvidia-smi. Experiments go through `fleet submit`; the identification finds the
/// wiring from power alone.
/// </summary>
public sealed class RunnerTests : IClassFixture<RunnerTests.Lab>
{
    private readonly Lab _lab;

    public RunnerTests(Lab lab) => _lab = lab;

    [Fact]
    public async Task SubmitWait_TwoMachines_WallAndComponentsPerMachineAndPhase_MarksBecomePhases_ASecondSubmissionWaits()
    {
        // Idle 2 s, then one core busy 4 s: the wired sockets draw about 90 W, then up to 60 W more (less on a busy host).
        var first = Lab.FleetAsync(_lab.Silo, "submit", "--machine", "m-a", "--machine", "m-b", "--name", "two", "--wait", "--json", "--",
            "sh", "-c", "echo FLEET_MARK idle; sleep 2; echo FLEET_MARK busy; timeout 4 sh -c 'while :; do :; done'; echo done");
        await Lab.WaitUntilAsync(async () => (await _lab.Silo.GetJsonAsync("/api/queue")).GetProperty("experiments").EnumerateArray().Any(e => e.GetProperty("status").GetString() == "running"), "the first submission to run", _lab);
        var second = await Lab.FleetAsync(_lab.Silo, "submit", "--machine", "m-a", "--json", "--", "true");
        Assert.True(second.ExitCode == 0, second.Error);
        var queued = JsonDocument.Parse(second.Output).RootElement;
        var ran = await first;

        Assert.True(ran.ExitCode == 0, ran.Error + ran.Output);
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        var report = JsonDocument.Parse(ran.Output).RootElement;
        Assert.Equal("finished", report.GetProperty("status").GetString());
        Assert.Equal(["idle", "busy"], report.GetProperty("marks").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        var rows = report.GetProperty("comparison").EnumerateArray().ToDictionary(r => (r.GetProperty("machine").GetString(), r.GetProperty("phase").GetString()));
        foreach (var machine in new[] { "m-a", "m-b" })
        {
            var idle = rows[(machine, "idle")];
            var busy = rows[(machine, "busy")];
            var idleWatts = idle.GetProperty("wall_joules").GetDouble() / idle.GetProperty("duration_seconds").GetDouble();
            var busyWatts = busy.GetProperty("wall_joules").GetDouble() / busy.GetProperty("duration_seconds").GetDouble();
            // 90 W idle plus the runner's own CPU (it and the fake nvidia-smi it reads are in its tree).
            Assert.InRange(idleWatts, 85, 140);
            // On two busy cores shared with the silo, the agent and the other runner, the loop gets
            // a fraction of a core: the direction is what this checks, the identification the match.
            Assert.True(busyWatts > idleWatts + 5, $"{machine}: busy {busyWatts:0.0} W against idle {idleWatts:0.0} W: the wired socket did not follow the command");
            // The fake GPU draws 40 W: nvidia-smi power integrated over the phase.
            Assert.Equal(40 * busy.GetProperty("duration_seconds").GetDouble(), busy.GetProperty("gpu_joules").GetDouble(), 0.1 * 40 * busy.GetProperty("duration_seconds").GetDouble());
            Assert.Equal(
                busy.GetProperty("wall_joules").GetDouble() - busy.GetProperty("component_joules").GetDouble(),
                busy.GetProperty("excess_joules").GetDouble(),
                1e-6);
        }

        // m-a has RAPL at 30 W (a counter that wraps); m-b has none, and says so rather than 0 J.
        var raplA = rows[("m-a", "busy")];
        Assert.Equal(30 * raplA.GetProperty("duration_seconds").GetDouble(), raplA.GetProperty("rapl_joules").GetDouble(), 0.1 * 30 * raplA.GetProperty("duration_seconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[("m-b", "busy")].GetProperty("rapl_joules").ValueKind);
        Assert.Contains("RAPL", rows[("m-b", "busy")].GetProperty("missing").GetProperty("rapl").GetString(), StringComparison.Ordinal);
        var logs = await Lab.FleetAsync(_lab.Silo, "logs", report.GetProperty("id").GetString()!);
        Assert.Contains("done", logs.Output, StringComparison.Ordinal);

        var secondId = queued.GetProperty("id").GetString()!;
        await Lab.WaitUntilAsync(async () => (await _lab.Silo.GetJsonAsync($"/api/experiments/{secondId}")).GetProperty("status").GetString() == "finished", "the second submission to finish", _lab);
        var after = await _lab.Silo.GetJsonAsync($"/api/experiments/{secondId}");
        Assert.True(after.GetProperty("started_at").GetDateTimeOffset() >= report.GetProperty("finished_at").GetDateTimeOffset(), "the second submission started before the first ended");
    }

    [Fact]
    public async Task Runner_KilledMidExperiment_ExperimentFailsWithTheReasonWithinTheTimeout_AndTheLeaseIsFree()
    {
        using (var runner = _lab.Runner("m-c", signal: null))
        {
            await Lab.WaitUntilAsync(() => Task.FromResult(runner.Output.Contains("Registered as the runner of m-c", StringComparison.Ordinal)), "runner m-c to register", _lab);
            var submitted = await Lab.FleetAsync(_lab.Silo, "submit", "--machine", "m-c", "--", "sleep", "60");
            Assert.True(submitted.ExitCode == 0, submitted.Error);
            var id = submitted.Output.Trim();
            await Lab.WaitUntilAsync(() => Task.FromResult(runner.Output.Contains($"Job {id}: running", StringComparison.Ordinal)), "the runner to start the command", _lab);

            runner.Kill();
            var killed = Stopwatch.StartNew();
            await Lab.WaitUntilAsync(async () => (await _lab.Silo.GetJsonAsync($"/api/experiments/{id}")).GetProperty("status").GetString() == "failed", "the experiment to fail", _lab);
            killed.Stop();

            var failed = await _lab.Silo.GetJsonAsync($"/api/experiments/{id}");
            Assert.Contains("the runner of m-c", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("was lost", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(Lab.HeartbeatTimeoutSeconds + 8), $"failed {killed.Elapsed.TotalSeconds:0.0} s after the runner died (timeout {Lab.HeartbeatTimeoutSeconds} s)");
        }

        // The lease is free: a new runner takes the next submission at once.
        using var again = _lab.Runner("m-c", signal: null);
        await Lab.WaitUntilAsync(() => Task.FromResult(again.Output.Contains("Registered as the runner of m-c", StringComparison.Ordinal)), "runner m-c to register again", _lab);
        var next = await Lab.FleetAsync(_lab.Silo, "submit", "--machine", "m-c", "--wait", "--", "sh", "-c", "exit 7");
        Assert.True(next.ExitCode == 7, $"exit {next.ExitCode}: {next.Error}");
    }

    [Fact]
    public async Task SocketsIdentify_WiredMachine_ProposesItsSocketFromPowerAlone_ASubmissionMeanwhileWaitsForIt()
    {
        var identifying = Lab.FleetAsync(_lab.Silo, "sockets", "identify", "m-b", "--box", "box-w", "--seed", "11", "--json");
        await Lab.WaitUntilAsync(async () => (await _lab.Silo.GetJsonAsync("/api/runners")).EnumerateArray()
            .Any(r => r.GetProperty("machine").GetString() == "m-b" && r.GetProperty("active_jobs").EnumerateArray().Any(j => j.GetString()!.StartsWith("identify-", StringComparison.Ordinal))), "the load pattern to run on m-b", _lab);
        // The machine is leased for the pattern: a command now would blur it.
        var submitted = await Lab.FleetAsync(_lab.Silo, "submit", "--machine", "m-b", "--json", "--", "true");
        var identified = await identifying;

        Assert.True(identified.ExitCode == 0, identified.Error + identified.Output);
        var result = JsonDocument.Parse(identified.Output).RootElement;
        var proposed = Assert.Single(result.GetProperty("proposed").EnumerateArray());
        Assert.Equal("box-w", proposed.GetProperty("box").GetString());
        Assert.Equal(5, proposed.GetProperty("socket").GetInt32());
        Assert.True(submitted.ExitCode == 0, submitted.Error);
        var queued = JsonDocument.Parse(submitted.Output).RootElement;
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        var id = queued.GetProperty("id").GetString()!;
        await Lab.WaitUntilAsync(async () => (await _lab.Silo.GetJsonAsync($"/api/experiments/{id}")).GetProperty("status").GetString() == "finished", "the submission to run after the identification", _lab);
        var ran = await _lab.Silo.GetJsonAsync($"/api/experiments/{id}");
        Assert.True(ran.GetProperty("started_at").GetDateTimeOffset() >= result.GetProperty("to").GetDateTimeOffset(), "the submission started during the load pattern");
    }

    /// <summary>The lab: one silo, one wired simulated box, runners for m-a and m-b.</summary>
    public sealed class Lab : IAsyncLifetime, IDisposable
    {
        public const int HeartbeatTimeoutSeconds = 4;
        private const ulong RaplRange = 262_143_328_850;
        private readonly PostgresFixture _postgres = new();
        private readonly string _directory = Directory.CreateTempSubdirectory("fleet-runners-").FullName;
        private readonly FakeSysfs _sysfs = new();
        private readonly FakeNvidiaSmi _smi = new(["40.00"], periodSeconds: 0.1);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<ManagedProcess> _processes = [];
        private Task? _rapl;

        public SiloProcess Silo { get; private set; } = null!;

        public string Output => string.Join("\n---\n", _processes.Select(p => p.Output).Append(Silo.Output));

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            Silo = new SiloProcess(_postgres.DataSource.ConnectionString, environment: new Dictionary<string, string>
            {
                ["Fleet__Runners__HeartbeatTimeoutSeconds"] = HeartbeatTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            });
            await Silo.StartAsync();
            // RAPL package-0 at 30 W, starting 20 J below its wrap so every run crosses one.
            _sysfs.AddZone("intel-rapl:0", "package-0", RaplRange - 20_000_000, RaplRange);
            _rapl = AdvanceRaplAsync(_stop.Token);
            _processes.Add(new ManagedProcess(Binaries.Agent, [
                "--simulate", "--plugs", "6", "--wire", $"2={Signal("m-a")}", "--wire", $"5={Signal("m-b")}", "--box", "box-w",
                "--gateway-port", Silo.GatewayPort.ToString(CultureInfo.InvariantCulture), "--cluster-id", "e2e",
                "--spool", Path.Combine(_directory, "spool"), "--report-every", "1",
            ], new Dictionary<string, string>()));
            _processes.Add(Runner("m-a", Signal("m-a"), rapl: true));
            _processes.Add(Runner("m-b", Signal("m-b")));
            foreach (var (machine, socket) in new[] { ("m-a", 2), ("m-b", 5), ("m-c", 4) })
            {
                var added = await FleetAsync(Silo, "machines", "add", machine, "--socket", $"box-w:{socket}", "--force");
                Assert.True(added.ExitCode == 0, added.Error);
            }

            await WaitUntilAsync(async () => (await Silo.GetJsonAsync("/api/runners")).EnumerateArray().Count(r => r.GetProperty("alive").GetBoolean()) >= 2, "both runners to register", this);
        }

        internal ManagedProcess Runner(string machine, string? signal, bool rapl = false)
        {
            // Two spinning threads: on two cores shared with the silo, the agent, PostgreSQL and
            // the other runner (and stress-ng in CI), one thread's share can be too small to show.
            List<string> arguments = ["--runner", "--machine", machine, "--gateway-port", Silo.GatewayPort.ToString(CultureInfo.InvariantCulture), "--cluster-id", "e2e",
                "--rapl-root", rapl ? _sysfs.Root : Path.Combine(_directory, "no-rapl"), "--load-threads", "2"];
            if (signal is not null)
            {
                arguments.AddRange(["--load-signal", signal]);
            }

            return new ManagedProcess(Binaries.Agent, arguments, new Dictionary<string, string>
            {
                ["PATH"] = $"{_smi.Directory}:{Environment.GetEnvironmentVariable("PATH")}",
            });
        }

        public async Task DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_rapl is not null)
            {
                await _rapl;
            }

            foreach (var process in _processes)
            {
                process.Dispose();
            }

            Silo.Dispose();
            await _postgres.DisposeAsync();
            Dispose();
        }

        public void Dispose()
        {
            if (Directory.Exists(_directory))
            {
                _sysfs.Dispose();
                _smi.Dispose();
                _stop.Dispose();
                Directory.Delete(_directory, recursive: true);
            }
        }

        public static Task<(int ExitCode, string Output, string Error)> FleetAsync(SiloProcess silo, params string[] arguments) =>
            FleetCli.AgainstAsync(silo, arguments, TimeSpan.FromMinutes(3));

        public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Lab lab)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!await condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"timed out waiting for {what}:\n{lab.Output}");
                }

                await Task.Delay(100);
            }
        }

        private string Signal(string machine) => Path.Combine(_directory, $"{machine}.load");

        private async Task AdvanceRaplAsync(CancellationToken cancellationToken)
        {
            var started = Stopwatch.StartNew();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var microjoules = (RaplRange - 20_000_000 + (ulong)(started.Elapsed.TotalSeconds * 30_000_000)) % RaplRange;
                    _sysfs.SetEnergy("intel-rapl:0", microjoules);
                    await Task.Delay(50, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // The lab is closing.
            }
        }
    }
}
