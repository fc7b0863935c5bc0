using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Identification;
using Fleet.Grains.Runners;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;
using Fleet.Storage.Energy;
using Fleet.Storage.Experiments;
using Fleet.Storage.Export;
using Fleet.Storage.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Fleet.Grains.Experiments;

/// <summary>
/// One experiment: leases its machines while running, records phase marks, and on stop
/// computes each machine's energy per phase from the sockets that fed it at the time. A
/// submitted command goes further: queued until it holds every machine, an idle baseline, the
/// command on every machine through its runner, and the end when every command has ended or a
/// runner went silent. A reminder brings it back after a silo restart; a timer drives it.
/// </summary>
public sealed partial class ExperimentGrain : Grain, IExperimentGrain, IRemindable
{
    /// <summary>How long a stop waits for the last frames of its window to reach storage.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How much of a run the socket check reads: minutes tell, and a day of frames would be read for nothing.</summary>
    private static readonly TimeSpan ActivityCheckWindow = TimeSpan.FromMinutes(10);

    /// <summary>The reminder that reactivates a queued or running submission (1 min: Orleans' minimum period).</summary>
    private const string RunReminder = "run";

    private readonly IPersistentState<ExperimentState> _state;
    private readonly EnergyQueries _energy;
    private readonly ExperimentStore _store;
    private readonly RunLogStore _logs;
    private readonly RunSampleStore _samples;
    private readonly SampleReader _frames;
    private readonly RunnerOptions _runners;
    private readonly TimeProvider _time;
    private readonly ILogger<ExperimentGrain> _logger;
    private readonly Dictionary<string, DateTimeOffset> _notRunningSince = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;
    private DateTimeOffset _activatedAt;

    public ExperimentGrain(
        [PersistentState("experiment", FleetStorage.Name)] IPersistentState<ExperimentState> state,
        EnergyQueries energy,
        ExperimentStore store,
        RunLogStore logs,
        RunSampleStore samples,
        SampleReader frames,
        IOptions<RunnerOptions> runners,
        TimeProvider time,
        ILogger<ExperimentGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(runners);
        _state = state;
        _energy = energy;
        _store = store;
        _logs = logs;
        _samples = samples;
        _frames = frames;
        _runners = runners.Value;
        _time = time;
        _logger = logger;
    }

    private bool IsActiveRun => State.Run is not null && State.Status is ExperimentStatus.Queued or ExperimentStatus.Baseline or ExperimentStatus.Running;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = _time.GetUtcNow();
        if (IsActiveRun)
        {
            EnsureTimer();
        }

        return base.OnActivateAsync(cancellationToken);
    }

    private string Id => this.GetPrimaryKeyString();

    private ExperimentState State => _state.State;

    public async ValueTask<ExperimentInfo> SubmitAsync(string name, IReadOnlyList<string> machines)
    {
        await ValidateNewAsync(name, machines).ConfigureAwait(true);
        State.Name = name.Trim();
        State.Machines = [.. machines.Distinct()];
        State.Status = ExperimentStatus.Submitted;
        State.SubmittedAt = _time.GetUtcNow();
        var info = await SaveAsync().ConfigureAwait(true);
        await GrainFactory.GetGrain<IFleetGrain>(0).RegisterExperimentAsync(Id).ConfigureAwait(true);
        return info;
    }

    public async ValueTask<ExperimentInfo> SubmitRunAsync(string name, IReadOnlyList<string> machines, RunSpec run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Command.Count == 0 || string.IsNullOrWhiteSpace(run.Command[0]))
        {
            throw new RequestRejectedException("a submission needs a command (after --)");
        }

        if (run.IdleBaselineSeconds is < 0 or > 3600 || double.IsNaN(run.IdleBaselineSeconds))
        {
            throw new RequestRejectedException($"the idle baseline must be from 0 to 3600 s, not {run.IdleBaselineSeconds}");
        }

        await ValidateNewAsync(name, machines).ConfigureAwait(true);
        State.Name = name.Trim();
        State.Machines = [.. machines.Distinct()];
        State.Run = run;
        State.Runs = State.Machines.ToDictionary(m => m, _ => new MachineRunState(), StringComparer.Ordinal);
        State.Status = ExperimentStatus.Queued;
        State.SubmittedAt = _time.GetUtcNow();
        await SaveAsync().ConfigureAwait(true);
        await GrainFactory.GetGrain<IFleetGrain>(0).RegisterExperimentAsync(Id).ConfigureAwait(true);
        await this.RegisterOrUpdateReminder(RunReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)).ConfigureAwait(true);
        EnsureTimer();
        // Free machines start now, not a tick later.
        await TickAsync().ConfigureAwait(true);
        return Info();
    }

    private async Task ValidateNewAsync(string name, IReadOnlyList<string> machines)
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
    }

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

        if (State.Run is not null)
        {
            State.Reason ??= "stopped before the command ended";
            await CancelJobsAsync().ConfigureAwait(true);
        }

        return await FinishAsync(end, failed).ConfigureAwait(true);
    }

    public async ValueTask<ExperimentInfo> CancelAsync()
    {
        if (State.Status is not (ExperimentStatus.Submitted or ExperimentStatus.Queued or ExperimentStatus.Baseline or ExperimentStatus.Running) || State.Name is null)
        {
            throw new RequestRejectedException(State.Name is null ? $"no experiment {Id}" : $"experiment {Id} is already {State.Status.ToString().ToLowerInvariant()}");
        }

        State.Status = ExperimentStatus.Cancelled;
        State.FinishedAt = _time.GetUtcNow();
        var info = await SaveAsync().ConfigureAwait(true);
        await CancelJobsAsync().ConfigureAwait(true);
        await ReleaseMachinesAsync().ConfigureAwait(true);
        await EndRunAsync().ConfigureAwait(true);
        return info;
    }

    public async ValueTask ReportRunAsync(string machine, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (State.Run is null || !State.Runs.TryGetValue(machine, out var run))
        {
            throw new RequestRejectedException($"experiment {Id} runs no command on machine {machine}");
        }

        // What the command printed and measured is kept even when the experiment already ended
        // (a runner back after a lost connection): its logs and exit code still matter.
        // Lines are bounded here, once, whatever the runner sent (an older runner cuts nothing).
        await StorageCalls.RunAsync(() => _logs.AppendAsync(Id, machine, [.. report.Logs.Select(l => l.Bounded()).Select(l => (l.Sequence, l.At, l.Source == LogSource.Stderr ? "stderr" : "stdout", l.Text))])).ConfigureAwait(true);
        await StorageCalls.RunAsync(() => _samples.AppendComponentsAsync(Id, machine, [.. report.Components.Select(c => (c.Component, c.At, c.Joules))])).ConfigureAwait(true);
        await StorageCalls.RunAsync(() => _samples.AppendActivityAsync(Id, machine, [.. report.Activity.Select(a => (a.At, a.Cores))])).ConfigureAwait(true);

        var changed = false;
        if (report.StartedAt is { } started && run.StartedAt is null)
        {
            run.StartedAt = started;
            changed = true;
            MoveStartToCommand();
        }

        if (State.Status == ExperimentStatus.Running)
        {
            foreach (var mark in report.Marks)
            {
                changed |= AddRunnerMark(machine, mark);
            }
        }

        if (report.Outcome is { } outcome && run.Outcome is null)
        {
            run.Outcome = outcome;
            changed = true;
        }

        if (State.Status == ExperimentStatus.Running && State.Runs.Values.All(r => r.Outcome is not null))
        {
            await FinishCommandAsync().ConfigureAwait(true);
        }
        else if (changed)
        {
            await SaveAsync().ConfigureAwait(true);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsActiveRun)
        {
            EnsureTimer();
        }
        else
        {
            await EndRunAsync().ConfigureAwait(true);
        }
    }

    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });

    /// <summary>One step of a submission: take the leases, end the baseline, watch the runners.</summary>
    private async Task TickAsync()
    {
        try
        {
            switch (State.Status)
            {
                case ExperimentStatus.Queued:
                    await TryLeaseAllAsync().ConfigureAwait(true);
                    break;
                case ExperimentStatus.Baseline:
                    if (await RunnersAliveAsync().ConfigureAwait(true)
                        && _time.GetUtcNow() >= State.BaselineFrom!.Value.AddSeconds(State.Run!.IdleBaselineSeconds))
                    {
                        await StartCommandAsync().ConfigureAwait(true);
                    }

                    break;
                case ExperimentStatus.Running when State.Run is not null:
                    if (State.Runs.Values.All(r => r.Outcome is not null))
                    {
                        // Every command ended but finishing failed (storage): finish now.
                        await FinishCommandAsync().ConfigureAwait(true);
                    }
                    else
                    {
                        await RunnersAliveAsync().ConfigureAwait(true);
                    }

                    break;
                default:
                    // Ended: releasing again is harmless, and frees a machine a failed release kept.
                    await ReleaseMachinesAsync().ConfigureAwait(true);
                    await EndRunAsync().ConfigureAwait(true);
                    break;
            }
        }
        catch (Exception error) when (error is StorageUnavailableException or TimeoutException or OrleansException)
        {
            // Transient: the next tick tries again; a runner's timeout still applies meanwhile.
            LogTickFailed(Id, error.Message);
        }
    }

    private async Task TryLeaseAllAsync()
    {
        var leased = new List<IMachineGrain>();
        // One order for every submission, so two never head each other's lines.
        foreach (var machine in State.Machines.Order(StringComparer.Ordinal))
        {
            var grain = GrainFactory.GetGrain<IMachineGrain>(machine);
            if (!await grain.TryLeaseAsync(Id, queue: true).ConfigureAwait(true))
            {
                // All or none: holding some machines while waiting for others could deadlock two submissions.
                foreach (var taken in leased)
                {
                    await taken.ReleaseAsync(Id).ConfigureAwait(true);
                }

                return;
            }

            leased.Add(grain);
        }

        if (State.Run!.IdleBaselineSeconds > 0)
        {
            State.BaselineFrom = _time.GetUtcNow();
            State.Status = ExperimentStatus.Baseline;
            await CopyComponentStatusesAsync().ConfigureAwait(true);
            await SaveAsync().ConfigureAwait(true);
        }
        else
        {
            await StartCommandAsync().ConfigureAwait(true);
        }
    }

    private async Task StartCommandAsync()
    {
        var now = _time.GetUtcNow();
        State.StartedAt = now;
        State.CommandAt = now;
        State.Status = ExperimentStatus.Running;
        await CopyComponentStatusesAsync().ConfigureAwait(true);
        foreach (var (machine, run) in State.Runs)
        {
            run.AssignedAt = now;
            await GrainFactory.GetGrain<IRunnerGrain>(machine).AssignAsync(new RunnerJob(Id, RunnerJobKind.Command, State.Run, null)).ConfigureAwait(true);
        }

        await SaveAsync().ConfigureAwait(true);
    }

    private async Task CopyComponentStatusesAsync()
    {
        foreach (var (machine, run) in State.Runs)
        {
            var presence = await GrainFactory.GetGrain<IRunnerGrain>(machine).GetPresenceAsync().ConfigureAwait(true);
            run.Host = presence.Host ?? run.Host;
            if (presence.Components.Count > 0)
            {
                run.Components = [.. presence.Components];
            }
        }
    }

    /// <summary>
    /// Whether every runner still heartbeats; fails the experiment when one has been silent past
    /// the timeout (counted from this activation at the earliest: a restarted silo gives runners
    /// a full timeout to find it), and hands a job again to a runner that does not show it.
    /// </summary>
    private async Task<bool> RunnersAliveAsync()
    {
        var now = _time.GetUtcNow();
        foreach (var (machine, run) in State.Runs)
        {
            if (run.Outcome is not null)
            {
                continue;
            }

            var runner = GrainFactory.GetGrain<IRunnerGrain>(machine);
            var presence = await runner.GetPresenceAsync().ConfigureAwait(true);
            var heardAt = presence.LastHeartbeat is { } last && last > _activatedAt ? last : _activatedAt;
            if (!presence.Alive && now - heardAt >= _runners.HeartbeatTimeout)
            {
                var since = presence.LastHeartbeat is { } at ? $"no heartbeat since {IsoTime.Format(at)}" : "no heartbeat since the cluster restarted";
                await FailAsync($"the runner of {machine}{(run.Host is null ? string.Empty : $" (host {run.Host})")} was lost: {since} (timeout {_runners.HeartbeatTimeoutSeconds:0.#} s)").ConfigureAwait(true);
                return false;
            }

            var grace = TimeSpan.FromSeconds(3 * _runners.HeartbeatSeconds) + TimeSpan.FromSeconds(2);
            if (State.Status != ExperimentStatus.Running || !presence.Alive || presence.ActiveJobs.Contains(Id))
            {
                _notRunningSince.Remove(machine);
                continue;
            }

            // Not listed by a live runner: just ended (its report is on its way), not picked up
            // yet, or lost. Only a state that lasts several heartbeats is acted on.
            if (!_notRunningSince.TryGetValue(machine, out var missingSince))
            {
                _notRunningSince[machine] = missingSince = now;
            }

            if (now - missingSince > grace && run.AssignedAt is { } assigned && now - assigned > grace)
            {
                _notRunningSince.Remove(machine);
                if (run.StartedAt is not null)
                {
                    // It ran the command and no longer does, without an outcome: a restarted runner.
                    // Running it again would measure a second, different run.
                    await FailAsync($"the runner of {machine} restarted while the command ran (it no longer runs it and reported no end)").ConfigureAwait(true);
                    return false;
                }

                // Lost with a silo or an answer before it started; the runner runs a job id once.
                run.AssignedAt = now;
                await runner.AssignAsync(new RunnerJob(Id, RunnerJobKind.Command, State.Run, null)).ConfigureAwait(true);
            }
        }

        return true;
    }

    private async Task FailAsync(string reason)
    {
        State.Reason = reason;
        await CancelJobsAsync().ConfigureAwait(true);
        if (State.Status == ExperimentStatus.Running)
        {
            var end = _time.GetUtcNow();
            await FinishAsync(end > State.StartedAt ? end : State.StartedAt!.Value.AddMilliseconds(10), failed: true).ConfigureAwait(true);
            return;
        }

        State.Status = ExperimentStatus.Failed;
        State.FinishedAt = _time.GetUtcNow();
        await SaveAsync().ConfigureAwait(true);
        await ReleaseMachinesAsync().ConfigureAwait(true);
        await EndRunAsync().ConfigureAwait(true);
    }

    /// <summary>Every machine's command ended: the experiment ends with the last of them.</summary>
    private async Task FinishCommandAsync()
    {
        var outcomes = State.Runs.Select(r => (Machine: r.Key, r.Value.Outcome!)).ToList();
        var end = outcomes.Max(o => o.Item2.EndedAt);
        var failures = outcomes.Where(o => o.Item2.Error is not null || o.Item2.ExitCode != 0).ToList();
        if (failures.Count > 0)
        {
            State.Reason = string.Join("; ", failures.Select(f => f.Item2.Error is { } error
                ? $"{f.Machine}: {error}"
                : $"{f.Machine}: the command exited with {f.Item2.ExitCode}"));
        }

        await FinishAsync(end > State.StartedAt ? end : State.StartedAt!.Value.AddMilliseconds(10), failures.Count > 0).ConfigureAwait(true);
    }

    private async Task<ExperimentInfo> FinishAsync(DateTimeOffset end, bool failed)
    {
        await WaitForFramesAsync(end).ConfigureAwait(true);
        State.Results = await ComputeResultsAsync(State.StartedAt!.Value, end).ConfigureAwait(true);
        if (State.Run is not null)
        {
            State.Components = await ComputeComponentsAsync(State.StartedAt!.Value, end).ConfigureAwait(true);
            State.Baseline = await ComputeBaselineAsync().ConfigureAwait(true);
            await CheckSocketsFollowActivityAsync(State.StartedAt!.Value, end).ConfigureAwait(true);
        }

        State.FinishedAt = end;
        State.Status = failed ? ExperimentStatus.Failed : ExperimentStatus.Finished;
        var info = await SaveAsync().ConfigureAwait(true);
        await ReleaseMachinesAsync().ConfigureAwait(true);
        await EndRunAsync().ConfigureAwait(true);
        return info;
    }

    private async Task CancelJobsAsync()
    {
        foreach (var (machine, run) in State.Runs)
        {
            if (run.Outcome is null)
            {
                await GrainFactory.GetGrain<IRunnerGrain>(machine).CancelAsync(Id).ConfigureAwait(true);
            }
        }
    }

    /// <summary>A submission that ended needs neither its timer nor its reminder.</summary>
    private async Task EndRunAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(RunReminder).ConfigureAwait(true) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// The experiment starts when its command started (the earliest machine), not when it was
    /// handed to the runners a heartbeat earlier; never before that, nor after a mark.
    /// </summary>
    private void MoveStartToCommand()
    {
        if (State.Status != ExperimentStatus.Running || State.CommandAt is not { } handed)
        {
            return;
        }

        var first = State.Runs.Values.Where(r => r.StartedAt is not null).Min(r => r.StartedAt!.Value);
        var start = first > handed ? first : handed;
        if (State.Marks.Count > 0 && State.Marks[0].At < start)
        {
            start = State.Marks[0].At;
        }

        State.StartedAt = start;
    }

    /// <summary>
    /// A <c>FLEET_MARK name</c> a command printed: phases are the experiment's, so the first
    /// machine to print a name marks it and the others' same name is ignored; a mark before the
    /// latest one is ignored with a warning (phases cannot overlap).
    /// </summary>
    private bool AddRunnerMark(string machine, PhaseMark mark)
    {
        var name = mark.Name.Trim();
        if (name.Length == 0 || State.Marks.Any(m => m.Name == name))
        {
            return false;
        }

        if (name.StartsWith('('))
        {
            State.Warnings.Add($"{machine}: mark '{name}' ignored: names starting with '(' are Fleet's own");
            return true;
        }

        var at = mark.At < State.StartedAt ? State.StartedAt!.Value : mark.At;
        if (State.Marks.Count > 0 && at < State.Marks[^1].At)
        {
            State.Warnings.Add($"{machine}: mark '{name}' at {IsoTime.Format(at)} ignored: it is before mark '{State.Marks[^1].Name}' ({IsoTime.Format(State.Marks[^1].At)})");
            return true;
        }

        State.Marks.Add(new PhaseMark(name, at));
        return true;
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

    /// <summary>
    /// The whole experiment (phase ""), the time before the first mark, then each phase: the
    /// phase rows add up to the whole. Wall and component energy use exactly these windows.
    /// </summary>
    private List<(string Name, DateTimeOffset From, DateTimeOffset To)> Windows(DateTimeOffset start, DateTimeOffset end)
    {
        var phases = new List<(string Name, DateTimeOffset From, DateTimeOffset To)> { (string.Empty, start, end) };
        if (State.Marks.Count > 0 && State.Marks[0].At > start)
        {
            phases.Add((PhaseNames.Unmarked, start, State.Marks[0].At < end ? State.Marks[0].At : end));
        }

        phases.AddRange(Phases(State.Marks, end).Where(p => p.From < end).Select(p => (p.Name, p.From, p.To!.Value < end ? p.To.Value : end)));
        return phases;
    }

    private async Task<List<EnergyResult>> ComputeResultsAsync(DateTimeOffset start, DateTimeOffset end)
    {
        var results = new List<EnergyResult>();
        foreach (var machine in State.Machines)
        {
            foreach (var (phase, from, to) in Windows(start, end))
            {
                results.Add(await MachineEnergyAsync(machine, phase, from, to).ConfigureAwait(true));
            }
        }

        return results;
    }

    private async Task<EnergyResult> MachineEnergyAsync(string machine, string phase, DateTimeOffset from, DateTimeOffset to)
    {
        var energy = await StorageCalls.RunAsync(() => _energy.GetMachineEnergyAsync(machine, from, to)).ConfigureAwait(true);
        return new EnergyResult(
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
            energy.CoveredSeconds);
    }

    /// <summary>
    /// Warns when a machine's socket did not follow what its runner did (moved, a cable
    /// swapped): the runner's CPU against the socket's power, over the first
    /// <see cref="ActivityCheckWindow"/> of the run. Says nothing when the activity was too flat to tell.
    /// </summary>
    private async Task CheckSocketsFollowActivityAsync(DateTimeOffset start, DateTimeOffset end)
    {
        var until = end - start > ActivityCheckWindow ? start + ActivityCheckWindow : end;
        foreach (var machine in State.Machines)
        {
            var activity = (await StorageCalls.RunAsync(() => _samples.ReadActivityAsync(Id, machine)).ConfigureAwait(true))
                .Where(a => a.At >= start && a.At <= until)
                .Select(a => new ActivitySample(a.At, a.Cores))
                .ToList();
            var sockets = (await GrainFactory.GetGrain<IMachineGrain>(machine).GetAssignmentsAsync().ConfigureAwait(true))
                .Where(a => a.ValidFrom <= start && (a.ValidTo is null || a.ValidTo >= until))
                .Select(a => a.Socket)
                .ToList();
            if (activity.Count == 0 || sockets.Count == 0)
            {
                continue;
            }

            // Two supplies on one box: their frames share times, so the machine's power is the sum per frame.
            var box = sockets[0].BoxId;
            var power = await StorageCalls.RunAsync(() => BoxSocketPower.ReadAsync(_frames, box, start, until)).ConfigureAwait(true);
            var points = power.Where(p => sockets.Contains(p.Socket)).SelectMany(p => p.Points)
                .GroupBy(p => p.At)
                .Select(g => (g.Key, g.Sum(p => p.Watts)))
                .OrderBy(p => p.Key)
                .ToList();
            if (ActivityMatch.Check(activity, points) is { } warning)
            {
                State.Warnings.Add($"{machine}: {warning}");
            }
        }
    }

    /// <summary>The wall energy of each machine over the idle baseline, before the command started.</summary>
    private async Task<List<EnergyResult>> ComputeBaselineAsync()
    {
        var baseline = new List<EnergyResult>();
        if (State.BaselineFrom is { } from && State.CommandAt is { } to && to > from)
        {
            foreach (var machine in State.Machines)
            {
                baseline.Add(await MachineEnergyAsync(machine, PhaseNames.IdleBaseline, from, to).ConfigureAwait(true));
            }
        }

        return baseline;
    }

    /// <summary>
    /// Each machine's component energy per phase, from the counters its runner reported; a
    /// component the runner could not read, or whose samples do not span a phase, is missing
    /// with the reason, never 0 J.
    /// </summary>
    private async Task<List<ComponentEnergyResult>> ComputeComponentsAsync(DateTimeOffset start, DateTimeOffset end)
    {
        var results = new List<ComponentEnergyResult>();
        foreach (var machine in State.Machines)
        {
            var run = State.Runs[machine];
            var samples = (await StorageCalls.RunAsync(() => _samples.ReadComponentsAsync(Id, machine)).ConfigureAwait(true))
                .GroupBy(s => s.Component, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(s => new ComponentSample(s.Component, s.At, s.Joules)).ToList(), StringComparer.Ordinal);
            var statuses = run.Components.Count > 0
                ? run.Components
                : [new ComponentStatus("rapl", false, "none", "the runner reported no component meters"), new ComponentStatus("gpu", false, "none", "the runner reported no component meters")];
            foreach (var (phase, from, to) in Windows(start, end))
            {
                foreach (var status in statuses)
                {
                    if (!status.Available)
                    {
                        results.Add(new ComponentEnergyResult(machine, phase, status.Component, status.Source, null, status.Reason ?? "not available"));
                        continue;
                    }

                    var joules = samples.TryGetValue(status.Component, out var series) ? ComponentEnergy.Between(series, from, to) : null;
                    results.Add(new ComponentEnergyResult(machine, phase, status.Component, status.Source, joules, joules is null ? "the runner's samples do not span this phase" : null));
                }
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
            [.. State.Results.Select(r => new ResultRow(r.Machine, r.Phase, r.From, r.To, r.Joules, r.MeanWatts, r.PeakWatts, r.Frames, r.FramesExpected, r.FramesInterpolated, r.Coverage))],
            State.Run is null ? null : [.. State.Runs.Select(r => new RunRow(r.Key, r.Value.Host, r.Value.StartedAt, r.Value.Outcome?.EndedAt, r.Value.Outcome?.ExitCode, r.Value.Outcome?.Error))],
            State.Run is null ? null : [.. State.Components.Select(c => new ComponentResultRow(c.Machine, c.Phase, c.Component, c.Source, c.Joules, c.Missing))])).ConfigureAwait(true);
        return Info();
    }

    private ExperimentInfo Info() =>
        new(Id, State.Name!, State.Status, [.. State.Machines], [.. State.Marks], State.StartedAt, State.FinishedAt, [.. State.Results], Phases(State.Marks, State.FinishedAt),
            State.Status is ExperimentStatus.Finished or ExperimentStatus.Failed ? State.FinishedAt : null,
            State.Run,
            State.Run is null ? null : [.. State.Runs.Select(r => new MachineRun(r.Key, r.Value.Host, r.Value.StartedAt, r.Value.Outcome?.EndedAt, r.Value.Outcome?.ExitCode, r.Value.Outcome?.Error, [.. r.Value.Components]))],
            State.Run is null ? null : [.. State.Components],
            State.Run is null ? null : [.. State.Baseline],
            State.Reason,
            [.. State.Warnings],
            State.SubmittedAt);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: {Error} (trying again next second)")]
    private partial void LogTickFailed(string experiment, string error);
}
