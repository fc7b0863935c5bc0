using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;
using Fleet.Storage.Energy;
using Fleet.Storage.Experiments;

namespace Fleet.Grains.Experiments;

/// <summary>
/// One experiment: leases its machines while running, records phase marks, and on stop
/// computes each machine's energy per phase from the sockets that fed it at the time.
/// </summary>
public sealed class ExperimentGrain : Grain, IExperimentGrain
{
    /// <summary>How long a stop waits for the last frames of its window to reach storage.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly IPersistentState<ExperimentState> _state;
    private readonly EnergyQueries _energy;
    private readonly ExperimentStore _store;
    private readonly TimeProvider _time;

    public ExperimentGrain(
        [PersistentState("experiment", FleetStorage.Name)] IPersistentState<ExperimentState> state,
        EnergyQueries energy,
        ExperimentStore store,
        TimeProvider time)
    {
        _state = state;
        _energy = energy;
        _store = store;
        _time = time;
    }

    private string Id => this.GetPrimaryKeyString();

    private ExperimentState State => _state.State;

    public async ValueTask<ExperimentInfo> SubmitAsync(string name, IReadOnlyList<string> machines)
    {
        ArgumentNullException.ThrowIfNull(machines);
        if (!Naming.IsValidId(Id))
        {
            throw new RequestRejectedException(Naming.InvalidId(Id, "experiment id"));
        }

        if (State.Name is not null)
        {
            throw new RequestRejectedException($"experiment {Id} already exists ({State.Status.ToString().ToLowerInvariant()})");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RequestRejectedException("an experiment needs a name");
        }

        if (machines.Count == 0)
        {
            throw new RequestRejectedException("an experiment needs at least one machine");
        }

        foreach (var machine in machines.Distinct())
        {
            var assignments = await GrainFactory.GetGrain<IMachineGrain>(machine).GetAssignmentsAsync().ConfigureAwait(true);
            if (assignments.Count == 0)
            {
                throw new RequestRejectedException($"unknown machine '{machine}': assign it to a socket first");
            }
        }

        State.Name = name.Trim();
        State.Machines = [.. machines.Distinct()];
        State.Status = ExperimentStatus.Submitted;
        var info = await SaveAsync().ConfigureAwait(true);
        await GrainFactory.GetGrain<IFleetGrain>(0).RegisterExperimentAsync(Id).ConfigureAwait(true);
        return info;
    }

    public ValueTask<ExperimentInfo> SubmitRunAsync(string name, IReadOnlyList<string> machines, RunSpec run) => throw new NotImplementedException();

    public ValueTask ReportRunAsync(string machine, RunReport report) => throw new NotImplementedException();

    public async ValueTask<ExperimentInfo> StartAsync(DateTimeOffset? at = null)
    {
        RequireStatus(ExperimentStatus.Submitted, "start");
        var leased = new List<IMachineGrain>();
        foreach (var machine in State.Machines)
        {
            var grain = GrainFactory.GetGrain<IMachineGrain>(machine);
            if (!await grain.TryLeaseAsync(Id).ConfigureAwait(true))
            {
                var holder = await grain.GetLeaseHolderAsync().ConfigureAwait(true);
                foreach (var taken in leased)
                {
                    await taken.ReleaseAsync(Id).ConfigureAwait(true);
                }

                throw new RequestRejectedException($"machine {machine} is in use by running experiment {holder}");
            }

            leased.Add(grain);
        }

        State.StartedAt = (at ?? _time.GetUtcNow()).ToUniversalTime();
        State.Status = ExperimentStatus.Running;
        return await SaveAsync().ConfigureAwait(true);
    }

    public async ValueTask<ExperimentInfo> MarkAsync(string name, DateTimeOffset? at = null)
    {
        RequireStatus(ExperimentStatus.Running, "mark a phase of");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RequestRejectedException("a phase mark needs a name");
        }

        if (name.TrimStart().StartsWith('('))
        {
            throw new RequestRejectedException($"phase names starting with '(' are Fleet's own (such as {PhaseNames.Unmarked}, the time before the first mark): choose another name than '{name.Trim()}'");
        }

        var when = (at ?? _time.GetUtcNow()).ToUniversalTime();
        if (when < State.StartedAt)
        {
            throw new RequestRejectedException($"mark '{name}' at {IsoTime.Format(when)} is before the experiment started ({IsoTime.Format(State.StartedAt!.Value)})");
        }

        if (State.Marks.Count > 0 && when < State.Marks[^1].At)
        {
            throw new RequestRejectedException($"mark '{name}' at {IsoTime.Format(when)} is before the previous mark '{State.Marks[^1].Name}' ({IsoTime.Format(State.Marks[^1].At)})");
        }

        State.Marks.Add(new PhaseMark(name.Trim(), when));
        return await SaveAsync().ConfigureAwait(true);
    }

    public async ValueTask<ExperimentInfo> StopAsync(DateTimeOffset? at = null, bool failed = false)
    {
        RequireStatus(ExperimentStatus.Running, "stop");
        var end = (at ?? _time.GetUtcNow()).ToUniversalTime();
        if (end <= State.StartedAt)
        {
            throw new RequestRejectedException($"the end {IsoTime.Format(end)} is not after the start {IsoTime.Format(State.StartedAt!.Value)}");
        }

        await WaitForFramesAsync(end).ConfigureAwait(true);
        State.Results = await ComputeResultsAsync(State.StartedAt!.Value, end).ConfigureAwait(true);
        State.FinishedAt = end;
        State.Status = failed ? ExperimentStatus.Failed : ExperimentStatus.Finished;
        var info = await SaveAsync().ConfigureAwait(true);
        await ReleaseMachinesAsync().ConfigureAwait(true);
        return info;
    }

    public async ValueTask<ExperimentInfo> CancelAsync()
    {
        if (State.Status is not (ExperimentStatus.Submitted or ExperimentStatus.Running) || State.Name is null)
        {
            throw new RequestRejectedException(State.Name is null ? $"no experiment {Id}" : $"experiment {Id} is already {State.Status.ToString().ToLowerInvariant()}");
        }

        State.Status = ExperimentStatus.Cancelled;
        State.FinishedAt = _time.GetUtcNow();
        var info = await SaveAsync().ConfigureAwait(true);
        await ReleaseMachinesAsync().ConfigureAwait(true);
        return info;
    }

    public ValueTask<ExperimentInfo?> GetAsync() => ValueTask.FromResult(State.Name is null ? null : Info());

    public async ValueTask<ExperimentInfo?> GetReportAsync()
    {
        if (State.Name is null)
        {
            return null;
        }

        if (State.Status != ExperimentStatus.Running)
        {
            return Info();
        }

        // The energy so far, up to the newest frame stored for its boxes (agents deliver about a
        // second behind): computed on each read, never stored, so stop still computes it once.
        var start = State.StartedAt!.Value;
        var until = await StoredUntilAsync(start).ConfigureAwait(true);
        var results = until > start ? await ComputeResultsAsync(start, until).ConfigureAwait(true) : [];
        return Info() with { Results = results, ResultsUntil = until };
    }

    private async Task<List<EnergyResult>> ComputeResultsAsync(DateTimeOffset start, DateTimeOffset end)
    {
        // The whole experiment (phase ""), the time before the first mark, then each phase:
        // the phase rows add up to the whole.
        var phases = new List<(string Name, DateTimeOffset From, DateTimeOffset To)> { (string.Empty, start, end) };
        if (State.Marks.Count > 0 && State.Marks[0].At > start)
        {
            phases.Add((PhaseNames.Unmarked, start, State.Marks[0].At < end ? State.Marks[0].At : end));
        }

        phases.AddRange(Phases(State.Marks, end).Where(p => p.From < end).Select(p => (p.Name, p.From, p.To!.Value < end ? p.To.Value : end)));

        var results = new List<EnergyResult>();
        foreach (var machine in State.Machines)
        {
            foreach (var (phase, from, to) in phases)
            {
                var energy = await StorageCalls.RunAsync(() => _energy.GetMachineEnergyAsync(machine, from, to)).ConfigureAwait(true);
                results.Add(new EnergyResult(
                    machine,
                    phase,
                    from,
                    to,
                    energy.Joules,
                    energy.MeanWatts ?? 0,
                    energy.PeakWatts ?? 0,
                    energy.Frames,
                    energy.FramesExpected,
                    energy.FramesInterpolated,
                    energy.Coverage,
                    energy.InterpolatedJoules,
                    energy.CoveredFrom,
                    energy.CoveredTo,
                    energy.CoveredSeconds));
            }
        }

        return results;
    }

    /// <summary>The boxes that measured the experiment's machines between its start and <paramref name="end"/>.</summary>
    private async Task<HashSet<string>> BoxesAsync(DateTimeOffset end)
    {
        var boxes = new HashSet<string>();
        foreach (var machine in State.Machines)
        {
            foreach (var assignment in await GrainFactory.GetGrain<IMachineGrain>(machine).GetAssignmentsAsync().ConfigureAwait(true))
            {
                if (assignment.ValidFrom < end && (assignment.ValidTo is null || assignment.ValidTo > State.StartedAt))
                {
                    boxes.Add(assignment.Socket.BoxId);
                }
            }
        }

        return boxes;
    }

    /// <summary>
    /// How far a running experiment is measured: the end of the newest frame stored for any of
    /// its boxes, but not past now (a box's clock may run ahead); now when none sent a frame.
    /// </summary>
    private async Task<DateTimeOffset> StoredUntilAsync(DateTimeOffset start)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? newest = null;
        foreach (var box in await BoxesAsync(now).ConfigureAwait(true))
        {
            var last = (await GrainFactory.GetGrain<IMeterGrain>(box).GetHealthAsync().ConfigureAwait(true)).LastFrameTime;
            if (last is { } time && (newest is null || time > newest))
            {
                newest = time;
            }
        }

        var until = newest is { } frame ? frame + FrameLayout.FramePeriod : now;
        return until > now ? now : until < start ? start : until;
    }

    private async Task WaitForFramesAsync(DateTimeOffset end)
    {
        // Agents deliver about a second behind real time: give them that long (bounded) so the
        // last frames of the window count instead of showing up as missing coverage.
        var boxes = await BoxesAsync(end).ConfigureAwait(true);
        var deadline = _time.GetUtcNow() + SettleTimeout;
        foreach (var box in boxes)
        {
            while (_time.GetUtcNow() < deadline)
            {
                var health = await GrainFactory.GetGrain<IMeterGrain>(box).GetHealthAsync().ConfigureAwait(true);
                if (health.LastFrameTime is null || health.LastFrameTime >= end.AddMilliseconds(-10) || _time.GetUtcNow() - end > SettleTimeout)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), _time).ConfigureAwait(true);
            }
        }
    }

    private async Task ReleaseMachinesAsync()
    {
        foreach (var machine in State.Machines)
        {
            await GrainFactory.GetGrain<IMachineGrain>(machine).ReleaseAsync(Id).ConfigureAwait(true);
        }
    }

    private void RequireStatus(ExperimentStatus expected, string action)
    {
        if (State.Name is null)
        {
            throw new RequestRejectedException($"no experiment {Id}");
        }

        if (State.Status != expected)
        {
            throw new RequestRejectedException($"cannot {action} experiment {Id}: it is {State.Status.ToString().ToLowerInvariant()}");
        }
    }

    private async Task<ExperimentInfo> SaveAsync()
    {
        await _state.WriteStateAsync().ConfigureAwait(true);
        await StorageCalls.RunAsync(() => _store.SaveAsync(
            new ExperimentRecord(Id, State.Name!, State.Status.ToString().ToLowerInvariant(), State.Machines, [.. State.Marks.Select(m => (m.Name, m.At))], State.StartedAt, State.FinishedAt),
            [.. State.Results.Select(r => new ResultRow(r.Machine, r.Phase, r.From, r.To, r.Joules, r.MeanWatts, r.PeakWatts, r.Frames, r.FramesExpected, r.FramesInterpolated, r.Coverage))])).ConfigureAwait(true);
        return Info();
    }

    private ExperimentInfo Info() =>
        new(Id, State.Name!, State.Status, [.. State.Machines], [.. State.Marks], State.StartedAt, State.FinishedAt, [.. State.Results], Phases(State.Marks, State.FinishedAt),
            State.Status is ExperimentStatus.Finished or ExperimentStatus.Failed ? State.FinishedAt : null);

    /// <summary>
    /// Phases from marks: each from its mark to the next mark, the last to <paramref name="end"/>
    /// (null while running: still open). A mark followed by one at the same instant has no phase.
    /// Energy is computed over exactly these windows, and plots shade them.
    /// </summary>
    internal static List<PhaseWindow> Phases(IReadOnlyList<PhaseMark> marks, DateTimeOffset? end)
    {
        var phases = new List<PhaseWindow>(marks.Count);
        for (var k = 0; k < marks.Count; k++)
        {
            var to = k + 1 < marks.Count ? marks[k + 1].At : end;
            if (to is null || to > marks[k].At)
            {
                phases.Add(new PhaseWindow(marks[k].Name, marks[k].At, to));
            }
        }

        return phases;
    }
}
