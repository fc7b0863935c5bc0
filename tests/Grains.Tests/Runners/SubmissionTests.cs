using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Tests.Support;
using Orleans.Runtime;

namespace Fleet.Grains.Tests.Runners;

/// <summary>
/// Submissions through runner grains, with the test playing the runner process: jobs arrive with
/// heartbeats, reports end them, a second submission waits for the lease, a silent runner fails
/// its experiment. The machines sit on a box that never sent frames, so no stop waits for any.
/// </summary>
public sealed class SubmissionTests : IClassFixture<FleetClusterFixture>
{
    private static readonly RunSpec Command = new(["./train.sh", "--epochs", "2"], "/tmp", new Dictionary<string, string> { ["SEED"] = "1" }, 0);
    private readonly FleetClusterFixture _cluster;

    public SubmissionTests(FleetClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task SubmitRunAsync_RunnerReportsMarksCountersAndExit_ExperimentFinishesWithComponentsPerPhase()
    {
        var (runner, session) = await MachineWithRunnerAsync("sub-a");
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-sub-a");

        var submitted = await experiment.SubmitRunAsync("train", ["sub-a"], Command);
        var job = await NextJobAsync(runner, session);

        Assert.Equal(ExperimentStatus.Running, submitted.Status);
        Assert.Equal("exp-sub-a", job.JobId);
        Assert.Equal(["./train.sh", "--epochs", "2"], job.Run!.Command);
        var start = submitted.StartedAt!.Value.AddMilliseconds(300);
        // RAPL: 40 W for 10 s (400 J), sampled every second; the mark at 4 s splits it 160 + 240 J.
        var samples = Enumerable.Range(0, 11).Select(k => new ComponentSample("rapl", start.AddSeconds(k), 40.0 * k)).ToList();
        await runner.ReportAsync(new RunReport(session, job.JobId, [new LogLine(1, start, LogSource.Stdout, "epoch 1")], [new PhaseMark("epoch-2", start.AddSeconds(4))], samples, [], null, start));
        await runner.ReportAsync(new RunReport(session, job.JobId, [], [], [], [], new RunOutcome(0, start, start.AddSeconds(10), null, false)));

        var info = (await experiment.GetAsync())!;
        Assert.Equal(ExperimentStatus.Finished, info.Status);
        Assert.Equal(start, info.StartedAt);
        Assert.Equal(start.AddSeconds(10), info.FinishedAt);
        Assert.Null(info.Reason);
        var rapl = info.Components!.Where(c => c.Component == "rapl").ToDictionary(c => c.Phase, c => c.Joules);
        Assert.Equal(400, rapl[PhaseNames.All]!.Value, 6);
        Assert.Equal(160, rapl[PhaseNames.Unmarked]!.Value, 6);
        Assert.Equal(240, rapl["epoch-2"]!.Value, 6);
        var gpu = info.Components!.Single(c => c.Component == "gpu" && c.Phase == PhaseNames.All);
        Assert.Null(gpu.Joules);
        Assert.Equal("no GPU here", gpu.Missing);
        Assert.Equal(0, info.Runs!.Single().ExitCode);
        Assert.Null(await _cluster.Grains.GetGrain<IMachineGrain>("sub-a").GetLeaseHolderAsync());
    }

    [Fact]
    public async Task ReportRunAsync_LineLongerThanTheLimit_IsStoredCutWithTheCount_ACutLineFromARunnerIsKeptAsItIs()
    {
        var (runner, session) = await MachineWithRunnerAsync("sub-l");
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-sub-l");
        var submitted = await experiment.SubmitRunAsync("long lines", ["sub-l"], Command);
        var job = await NextJobAsync(runner, session);
        var at = submitted.StartedAt!.Value;
        var cutByRunner = LogLine.Cut(new string('r', LogLine.MaxChars), 5);

        // An older runner sends a line of any length; the server keeps the limit once.
        await runner.ReportAsync(new RunReport(session, job.JobId, [
            new LogLine(1, at, LogSource.Stdout, new string('o', LogLine.MaxChars + 20_000)),
            new LogLine(2, at, LogSource.Stdout, cutByRunner),
            // Half an emoji and a NUL: PostgreSQL's text holds neither, and the line must not block the report.
            new LogLine(3, at, LogSource.Stderr, "half \uD83D and nul \0 and whole \U0001F600"),
        ], [], [], [], null, at));

        var stored = await new Fleet.Storage.Runs.RunLogStore(_cluster.DataSource).ReadAsync("exp-sub-l", 0, 10);
        Assert.Equal(3, stored.Count);
        Assert.Equal(LogLine.Cut(new string('o', LogLine.MaxChars), 20_000), stored[0].Line);
        Assert.Equal(cutByRunner, stored[1].Line);
        Assert.Equal("half \uFFFD and nul \uFFFD and whole \U0001F600", stored[2].Line);
    }

    [Fact]
    public async Task SubmitRunAsync_MachineLeased_WaitsInLineUntilTheFirstEnds()
    {
        var (runner, session) = await MachineWithRunnerAsync("sub-b");
        var first = _cluster.Grains.GetGrain<IExperimentGrain>("exp-sub-b1");
        var second = _cluster.Grains.GetGrain<IExperimentGrain>("exp-sub-b2");
        await first.SubmitRunAsync("first", ["sub-b"], Command);
        var job = await NextJobAsync(runner, session);

        var queued = await second.SubmitRunAsync("second", ["sub-b"], Command);
        Assert.Equal(ExperimentStatus.Queued, queued.Status);
        Assert.Equal(["exp-sub-b2"], await _cluster.Grains.GetGrain<IMachineGrain>("sub-b").GetWaitingAsync());

        var now = DateTimeOffset.UtcNow;
        await runner.ReportAsync(new RunReport(session, job.JobId, [], [], [], [], new RunOutcome(3, now, now.AddSeconds(1), null, false), now));
        var next = await NextJobAsync(runner, session);

        Assert.Equal("exp-sub-b2", next.JobId);
        var ended = (await first.GetAsync())!;
        Assert.Equal(ExperimentStatus.Failed, ended.Status);
        Assert.Equal("sub-b: the command exited with 3", ended.Reason);
        Assert.Equal(ExperimentStatus.Running, (await second.GetAsync())!.Status);
    }

    [Fact]
    public async Task Runner_SilentPastTheTimeout_FailsTheExperimentWithTheReasonAndFreesTheLease()
    {
        var (runner, session) = await MachineWithRunnerAsync("sub-c");
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-sub-c");
        await experiment.SubmitRunAsync("lost", ["sub-c"], Command);
        await NextJobAsync(runner, session);
        var silentFrom = DateTimeOffset.UtcNow;

        // No heartbeat from here on: the runner is gone.
        var deadline = silentFrom.AddSeconds(FleetClusterFixture.RunnerTimeoutSeconds + 10);
        ExperimentInfo info;
        while ((info = (await experiment.GetAsync())!).Status == ExperimentStatus.Running)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"still running {FleetClusterFixture.RunnerTimeoutSeconds + 10} s after its runner went silent");
            await Task.Delay(100);
        }

        Assert.Equal(ExperimentStatus.Failed, info.Status);
        Assert.Contains("the runner of sub-c (host host-sub-c) was lost: no heartbeat since", info.Reason, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow - silentFrom < TimeSpan.FromSeconds(FleetClusterFixture.RunnerTimeoutSeconds + 3), "failed long after the heartbeat timeout");
        Assert.Null(await _cluster.Grains.GetGrain<IMachineGrain>("sub-c").GetLeaseHolderAsync());
        var instructions = await runner.HeartbeatAsync(new RunnerHeartbeat(session, DateTimeOffset.UtcNow, 0, ["exp-sub-c"]));
        Assert.Equal(["exp-sub-c"], instructions.Cancel);
    }

    [Fact]
    public async Task HeartbeatAsync_UnknownSession_IsRefusedSoTheRunnerRegistersAgain()
    {
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>("sub-d");

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => runner.HeartbeatAsync(new RunnerHeartbeat("nope", DateTimeOffset.UtcNow, 0, [])).AsTask());

        Assert.Contains("register again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_SecondRunnerProcessWhileTheFirstLives_RefusedSayingWhere_TakesOverOnceTheFirstIsSilent()
    {
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>("sub-e");
        var first = await runner.RegisterAsync(await HelloAsync(runner, "host-1", "process-1"));

        var refused = await Assert.ThrowsAsync<RequestRejectedException>(async () => await runner.RegisterAsync(await HelloAsync(runner, "host-2", "process-2")));
        // The same process registering again (after a silo restart, say) is not a second runner.
        var again = await runner.RegisterAsync(await HelloAsync(runner, "host-1", "process-1"));

        Assert.Equal($"machine sub-e already has a live runner on host host-1: this one waits, and takes over if that one is silent for {FleetClusterFixture.RunnerTimeoutSeconds} s", refused.Message);
        Assert.NotEqual(first.SessionId, again.SessionId);
        Assert.Equal("host-1", (await runner.GetPresenceAsync()).Host);

        // The first goes silent: past the timeout the second takes the machine.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(FleetClusterFixture.RunnerTimeoutSeconds + 10);
        RunnerSession? second = null;
        while (second is null)
        {
            try
            {
                second = await runner.RegisterAsync(await HelloAsync(runner, "host-2", "process-2"));
            }
            catch (RequestRejectedException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal("host-2", (await runner.GetPresenceAsync()).Host);
        await Assert.ThrowsAsync<RequestRejectedException>(() => runner.HeartbeatAsync(new RunnerHeartbeat(again.SessionId, DateTimeOffset.UtcNow, 0, [])).AsTask());
    }

    [Fact]
    public async Task LeaveAsync_RunnerStoppedCleanly_NotAliveAndTheNextRunnerTakesTheMachineAtOnce()
    {
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>("sub-h");
        var first = await runner.RegisterAsync(await HelloAsync(runner, "host-1", "process-1"));

        await runner.LeaveAsync("not-the-session");
        var stillAlive = (await runner.GetPresenceAsync()).Alive;
        await runner.LeaveAsync(first.SessionId);
        var alive = (await runner.GetPresenceAsync()).Alive;
        await runner.RegisterAsync(await HelloAsync(runner, "host-2", "process-2"));

        Assert.True(stillAlive);
        Assert.False(alive);
        Assert.Equal("host-2", (await runner.GetPresenceAsync()).Host);
    }

    [Fact]
    public async Task RegisterAsync_AfterTheGrainWasDeactivated_TheRecordedRunnerComesFirst_AnotherWaitsOneTimeout()
    {
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>("sub-i");
        await runner.RegisterAsync(await HelloAsync(runner, "host-1", "process-1"));

        // As after a silo restart: the session is gone from memory, the runner holding the machine is not.
        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var presence = await runner.GetPresenceAsync();
        var refused = await Assert.ThrowsAsync<RequestRejectedException>(async () => await runner.RegisterAsync(await HelloAsync(runner, "host-2", "process-2")));
        var back = await runner.RegisterAsync(await HelloAsync(runner, "host-1", "process-1"));

        Assert.False(presence.Alive, "the grain kept its session: it was not deactivated");
        Assert.Equal("host-1", presence.Host);
        Assert.StartsWith("machine sub-i already has a live runner on host host-1", refused.Message, StringComparison.Ordinal);
        Assert.Equal("host-1", (await runner.GetPresenceAsync()).Host);
        Assert.True((await runner.GetPresenceAsync()).Alive);
    }

    [Fact]
    public async Task RegisterAsync_RunnersWithoutInstanceIds_ReplaceEachOtherAsBefore()
    {
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>("sub-f");
        await runner.RegisterAsync(await HelloAsync(runner, "host-1", instance: null));

        await runner.RegisterAsync(await HelloAsync(runner, "host-2", instance: null));

        Assert.Equal("host-2", (await runner.GetPresenceAsync()).Host);
    }

    [Fact]
    public async Task RegisterAsync_HelloWithoutAFreshChallenge_Refused_AChallengeServesOnce()
    {
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>("sub-g");
        var hello = await HelloAsync(runner, "host-1", "process-1");

        var none = await Assert.ThrowsAsync<RequestRejectedException>(async () => await runner.RegisterAsync(hello with { Challenge = null }));
        var invented = await Assert.ThrowsAsync<RequestRejectedException>(async () => await runner.RegisterAsync(hello with { Challenge = "00112233445566778899aabbccddeeff" }));
        await runner.RegisterAsync(hello);
        // The same hello again, as someone who captured it would send it.
        var replayed = await Assert.ThrowsAsync<RequestRejectedException>(async () => await runner.RegisterAsync(hello));

        foreach (var refused in new[] { none, invented, replayed })
        {
            Assert.StartsWith("the hello for machine sub-g carries no challenge this cluster gave, or one already used", refused.Message, StringComparison.Ordinal);
        }

        Assert.NotEqual(await runner.ChallengeAsync(), await runner.ChallengeAsync());
    }

    /// <summary>A hello as a runner process sends it: with its instance id, a challenge just asked for (none for an older runner).</summary>
    private static async Task<RunnerHello> HelloAsync(IRunnerGrain runner, string host, string? instance) =>
        new(runner.GetPrimaryKeyString(), host, DateTimeOffset.UtcNow, [], InstanceId: instance, Challenge: instance is null ? null : await runner.ChallengeAsync());

    private async Task<(IRunnerGrain Runner, string Session)> MachineWithRunnerAsync(string machine)
    {
        await _cluster.Grains.GetGrain<IMachineGrain>(machine).AssignAsync([new SocketRef("box-silent", machine[^1] - 'a' + 1)], DateTimeOffset.UtcNow.AddHours(-1));
        var runner = _cluster.Grains.GetGrain<IRunnerGrain>(machine);
        var session = await runner.RegisterAsync(new RunnerHello(machine, $"host-{machine}", DateTimeOffset.UtcNow, [new ComponentStatus("rapl", true, "RAPL package-0 (test)"), new ComponentStatus("gpu", false, "none", "no GPU here")]));
        return (runner, session.SessionId);
    }

    private static async Task<RunnerJob> NextJobAsync(IRunnerGrain runner, string session)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            var instructions = await runner.HeartbeatAsync(new RunnerHeartbeat(session, DateTimeOffset.UtcNow, 0, []));
            if (instructions.Start.Count > 0)
            {
                return instructions.Start[0];
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "no job reached the runner within 15 s");
            await Task.Delay(100);
        }
    }
}
