using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Experiments;
using Fleet.Grains.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Grains.Tests.Experiments;

/// <summary>Experiments over the clean 6-plug fixture stored as box "box-lab" from 08:00:00.</summary>
public sealed class ExperimentGrainTests : IClassFixture<FleetClusterFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly FleetClusterFixture _cluster;
    private readonly ExpectedCapture _expected = Fixtures.Expected("clean-6plugs");

    public ExperimentGrainTests(FleetClusterFixture cluster) => _cluster = cluster;

    public async Task InitializeAsync()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-lab");
        if ((await meter.GetHealthAsync()).FramesStored > 0)
        {
            return;
        }

        foreach (var batch in FixtureBatches.FromCapture(File.ReadAllBytes(_expected.CapturePath), Start))
        {
            await meter.IngestAsync(batch);
        }

        await _cluster.Grains.GetGrain<IMachineGrain>("srv-1").AssignAsync([new SocketRef("box-lab", 1)], Start.AddHours(-1));
        await _cluster.Grains.GetGrain<IMachineGrain>("srv-2").AssignAsync([new SocketRef("box-lab", 2), new SocketRef("box-lab", 3)], Start.AddHours(-1));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Phases_Marks_EachToTheNextOrTheEndAndOpenWhileRunning()
    {
        PhaseMark[] marks = [new("warmup", Start), new("empty", Start.AddSeconds(5)), new("train", Start.AddSeconds(5)), new("eval", Start.AddSeconds(9))];

        var running = ExperimentGrain.Phases(marks, null);
        var stopped = ExperimentGrain.Phases(marks, Start.AddSeconds(12));

        Assert.Equal(
            [new PhaseWindow("warmup", Start, Start.AddSeconds(5)), new PhaseWindow("train", Start.AddSeconds(5), Start.AddSeconds(9)), new PhaseWindow("eval", Start.AddSeconds(9), null)],
            running);
        Assert.Equal(new PhaseWindow("eval", Start.AddSeconds(9), Start.AddSeconds(12)), stopped[^1]);
    }

    [Fact]
    public async Task StopAsync_TwoMachinesTwoPhases_EnergyPerMachineAndPhaseMatchesTheFrames()
    {
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-phases");
        await experiment.SubmitAsync("training run", ["srv-1", "srv-2"]);
        await experiment.StartAsync(Start.AddSeconds(2));
        await experiment.MarkAsync("warmup", Start.AddSeconds(2));
        await experiment.MarkAsync("train", Start.AddSeconds(10.5));

        var info = await experiment.StopAsync(Start.AddSeconds(25));

        Assert.Equal(ExperimentStatus.Finished, info.Status);
        Assert.Contains("exp-phases", await _cluster.Grains.GetGrain<IFleetGrain>(0).ListRecentExperimentsAsync(100));
        AssertPhase(info, "srv-1", "", 2, 25, [0]);
        AssertPhase(info, "srv-1", "warmup", 2, 10.5, [0]);
        AssertPhase(info, "srv-1", "train", 10.5, 25, [0]);
        AssertPhase(info, "srv-2", "", 2, 25, [1, 2]);
        AssertPhase(info, "srv-2", "train", 10.5, 25, [1, 2]);
        var whole = info.Results.Single(r => r.Machine == "srv-1" && r.Phase.Length == 0);
        Assert.Equal(1.0, whole.Coverage);
        Assert.Equal(0, whole.FramesInterpolated);
        Assert.Null(await _cluster.Grains.GetGrain<IMachineGrain>("srv-1").GetLeaseHolderAsync());
    }

    [Fact]
    public async Task StopAsync_FirstMarkAfterTheStart_UnmarkedRowAndThePhasesAddUpToTheWhole()
    {
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-unmarked");
        await experiment.SubmitAsync("late first mark", ["srv-1"]);
        await experiment.StartAsync(Start.AddSeconds(1));
        await experiment.MarkAsync("epoch-1", Start.AddSeconds(4));
        await experiment.MarkAsync("epoch-2", Start.AddSeconds(9));

        var info = await experiment.StopAsync(Start.AddSeconds(20));

        Assert.Equal(["", PhaseNames.Unmarked, "epoch-1", "epoch-2"], info.Results.Select(r => r.Phase));
        AssertPhase(info, "srv-1", PhaseNames.Unmarked, 1, 4, [0]);
        var whole = info.Results.Single(r => r.Phase.Length == 0);
        Assert.Equal(whole.Joules, info.Results.Where(r => r.Phase.Length > 0).Sum(r => r.Joules), 1e-9 * whole.Joules);
        Assert.Equal(whole.Frames, info.Results.Where(r => r.Phase.Length > 0).Sum(r => r.Frames));
        // The marked phases stay what plots shade: the unmarked time is a result row, not a phase.
        Assert.Equal(["epoch-1", "epoch-2"], info.Phases.Select(p => p.Name));
    }

    [Fact]
    public async Task GetReportAsync_Running_EnergySoFarUpToTheNewestStoredFrameNotStored()
    {
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-running");
        await experiment.SubmitAsync("still running", ["srv-2"]);
        await experiment.StartAsync(Start.AddSeconds(2));
        await experiment.MarkAsync("warmup", Start.AddSeconds(5));

        var report = await experiment.GetReportAsync();
        var stored = await experiment.GetAsync();
        await experiment.CancelAsync();

        // The fixture's frames end at Start + 30 s, long before now.
        Assert.Equal(Start.AddSeconds(30), report!.ResultsUntil);
        Assert.Equal(["", PhaseNames.Unmarked, "warmup"], report.Results.Select(r => r.Phase));
        AssertPhase(report, "srv-2", "", 2, 30, [1, 2]);
        AssertPhase(report, "srv-2", "warmup", 5, 30, [1, 2]);
        Assert.Equal(1.0, report.Results[0].Coverage);
        Assert.Empty(stored!.Results);
        Assert.Null(stored.ResultsUntil);
    }

    [Fact]
    public async Task MarkAsync_NameLikeFleetsOwnPhases_RefusedSayingWhy()
    {
        var experiment = _cluster.Grains.GetGrain<IExperimentGrain>("exp-reserved");
        await experiment.SubmitAsync("reserved names", ["srv-1"]);
        await experiment.StartAsync(Start.AddSeconds(1));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => experiment.MarkAsync("(unmarked)", Start.AddSeconds(2)).AsTask());
        await experiment.CancelAsync();

        Assert.Contains("Fleet's own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MachineLeasedByRunningExperiment_RefusedUntilItStops()
    {
        var first = _cluster.Grains.GetGrain<IExperimentGrain>("exp-lease-1");
        var second = _cluster.Grains.GetGrain<IExperimentGrain>("exp-lease-2");
        await first.SubmitAsync("first", ["srv-1"]);
        await second.SubmitAsync("second", ["srv-1"]);
        await first.StartAsync(Start.AddSeconds(1));

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => second.StartAsync(Start.AddSeconds(3)).AsTask());
        Assert.Contains("in use by running experiment exp-lease-1", error.Message, StringComparison.Ordinal);

        await first.StopAsync(Start.AddSeconds(5));
        var started = await second.StartAsync(Start.AddSeconds(6));
        Assert.Equal(ExperimentStatus.Running, started.Status);
        await second.CancelAsync();
    }

    [Fact]
    public async Task SubmitAsync_UnknownMachine_Refused()
    {
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => _cluster.Grains.GetGrain<IExperimentGrain>("exp-unknown").SubmitAsync("x", ["no-such-machine"]).AsTask());

        Assert.Contains("unknown machine 'no-such-machine'", error.Message, StringComparison.Ordinal);
        Assert.Null(await _cluster.Grains.GetGrain<IExperimentGrain>("exp-unknown").GetAsync());
    }

    [Fact]
    public async Task AssignAsync_SocketHeldByAnotherMachine_RefusedNamingIt()
    {
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() =>
            _cluster.Grains.GetGrain<IMachineGrain>("srv-intruder").AssignAsync([new SocketRef("box-lab", 1)], Start).AsTask());

        Assert.Contains("held by srv-1", error.Message, StringComparison.Ordinal);
    }

    private void AssertPhase(ExperimentInfo info, string machine, string phase, double fromSeconds, double toSeconds, int[] plugs)
    {
        var result = info.Results.Single(r => r.Machine == machine && r.Phase == phase);
        // Frame k of the clean fixture is at Start + k × 10 ms.
        var first = (int)Math.Round(fromSeconds * 100);
        var last = (int)Math.Round(toSeconds * 100);
        var joules = _expected.Rows.Skip(first).Take(last - first).Sum(row => plugs.Sum(p => row.Values[3 + 6 + p] * 0.010));
        Assert.Equal(joules, result.Joules, 1e-4 * joules);
        Assert.Equal((long)(last - first) * plugs.Length, result.Frames);
        Assert.Equal(Start.AddSeconds(fromSeconds), result.From);
        Assert.Equal(Start.AddSeconds(toSeconds), result.To);
    }
}
