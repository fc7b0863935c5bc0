using System.Security.Cryptography;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Security;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Fleet.Grains.Runners;

/// <summary>
/// A machine's runner as the cluster sees it: a mailbox, not the source of truth. Jobs wait here
/// until the runner's next heartbeat collects them; experiments hold their own state and assign
/// again whatever a restarted silo lost here, and runners run a job id at most once. Reentrant:
/// a report awaits its experiment, which may meanwhile ask this grain whether the runner lives.
/// </summary>
[Reentrant]
public sealed class RunnerGrain : Grain, IRunnerGrain
{
    /// <summary>How long a challenge may wait for its hello: one round trip, and a slow one.</summary>
    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Challenges outstanding at once; a runner needs one.</summary>
    private const int MaxChallenges = 16;

    private readonly IPersistentState<RunnerState> _state;
    private readonly IWriterGate _gate;
    private readonly RunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly List<RunnerJob> _pending = [];
    private readonly HashSet<string> _cancels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _identifications = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunnerJobProgress> _progress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _challenges = new(StringComparer.Ordinal);
    private string? _session;
    private DateTimeOffset _activatedAt;
    private string? _host;
    private DateTimeOffset? _lastHeartbeat;
    private double _clockOffsetSeconds;
    private IReadOnlyList<ComponentStatus> _components = [];
    private IReadOnlyList<string> _activeJobs = [];

    public RunnerGrain(
        [PersistentState("runner", FleetStorage.Name)] IPersistentState<RunnerState> state,
        IWriterGate gate,
        IOptions<RunnerOptions> options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _gate = gate;
        _options = options.Value;
        _time = time;
    }

    private string Machine => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = _time.GetUtcNow();
        _host = _state.State.Host;
        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="challenge"/> was given here and is still fresh; it is used up either way.</summary>
    private bool TakeChallenge(string? challenge, DateTimeOffset now)
    {
        DropLapsedChallenges(now);
        return challenge is not null && _challenges.Remove(challenge);
    }

    private void DropLapsedChallenges(DateTimeOffset now)
    {
        foreach (var challenge in _challenges.Where(c => now - c.Value > ChallengeLifetime).Select(c => c.Key).ToList())
        {
            _challenges.Remove(challenge);
        }
    }

    public async ValueTask<RunnerSession> RegisterAsync(RunnerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.Machine != Machine)
        {
            throw new RequestRejectedException($"a hello for machine {hello.Machine} reached the runner of {Machine}");
        }

        var host = await _gate.CheckAsync(hello).ConfigureAwait(true);
        var now = _time.GetUtcNow();
        if (hello.InstanceId is not null && !TakeChallenge(hello.Challenge, now))
        {
            throw new RequestRejectedException(
                $"the hello for machine {Machine} carries no challenge this cluster gave, or one already used or older than {ChallengeLifetime.TotalSeconds:0} s (a replayed hello, or a silo restarted meanwhile): ask for a challenge and register again");
        }

        // The runner holding the machine, as recorded: the live session's, or after a silo
        // restart the one from before, which gets one heartbeat timeout from this activation to come back.
        var incumbent = _state.State.Instance;
        var incumbentLive = _session is not null
            ? _lastHeartbeat is { } last && now - last < _options.HeartbeatTimeout
            : now - _activatedAt < _options.HeartbeatTimeout;
        if (incumbentLive && hello.InstanceId is not null && incumbent is not null && hello.InstanceId != incumbent)
        {
            // Two runners for one machine would take jobs in turn and each report the other's
            // machine as its own. The message stays the same while it lasts: the runner says it once.
            throw new RequestRejectedException(
                $"machine {Machine} already has a live runner on host {_host}: this one waits, and takes over if that one is silent for {_options.HeartbeatTimeoutSeconds:0.#} s");
        }

        _host = host;
        var session = _session = Guid.NewGuid().ToString("N");
        _components = hello.Components;
        _lastHeartbeat = now;
        if (_state.State.Instance != hello.InstanceId || _state.State.Host != host)
        {
            // Written when the runner changes, not on every hello or heartbeat.
            _state.State.Instance = hello.InstanceId;
            _state.State.Host = host;
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        return new RunnerSession(session, now, _options.HeartbeatSeconds, _options.HeartbeatTimeoutSeconds);
    }

    public async ValueTask LeaveAsync(string sessionId)
    {
        if (_session is null || sessionId != _session)
        {
            return;
        }

        // A runner stopping cleanly: the machine is free for the next runner at once, and an
        // experiment still counting on this one learns it is gone without waiting for the timeout.
        _session = null;
        _state.State.Instance = null;
        await _state.WriteStateAsync().ConfigureAwait(true);
    }

    public ValueTask<string> ChallengeAsync()
    {
        var now = _time.GetUtcNow();
        DropLapsedChallenges(now);
        while (_challenges.Count >= MaxChallenges)
        {
            // Whoever asks this often is not one runner: the oldest go first.
            _challenges.Remove(_challenges.MinBy(c => c.Value).Key);
        }

        var challenge = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _challenges[challenge] = now;
        return ValueTask.FromResult(challenge);
    }

    public async ValueTask<RunnerInstructions> HeartbeatAsync(RunnerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        RequireSession(heartbeat.SessionId);
        var now = _time.GetUtcNow();
        _lastHeartbeat = now;
        _clockOffsetSeconds = heartbeat.ClockOffsetSeconds;
        _activeJobs = heartbeat.ActiveJobs;
        foreach (var id in heartbeat.ActiveJobs.Where(id => !_identifications.Contains(id) && !_cancels.Contains(id)))
        {
            // A command whose experiment has ended (its cancel lost with a silo restart) must not
            // keep loading the machine under the next experiment.
            if (await GrainFactory.GetGrain<IExperimentGrain>(id).GetAsync().ConfigureAwait(true) is not { Status: ExperimentStatus.Queued or ExperimentStatus.Baseline or ExperimentStatus.Running })
            {
                _cancels.Add(id);
            }
        }

        var start = _pending.ToList();
        _pending.Clear();
        var cancel = _cancels.ToList();
        // A cancel is repeated until the runner no longer runs the job (an answer can be lost).
        _cancels.RemoveWhere(id => !heartbeat.ActiveJobs.Contains(id) && !start.Any(j => j.JobId == id));
        return new RunnerInstructions(now, start, cancel);
    }

    public async ValueTask ReportAsync(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        RequireSession(report.SessionId);
        _lastHeartbeat = _time.GetUtcNow();
        if (_identifications.Contains(report.JobId))
        {
            var known = _progress.TryGetValue(report.JobId, out var progress) ? progress : new RunnerJobProgress(report.JobId, null, [], null);
            _progress[report.JobId] = known with
            {
                StartedAt = known.StartedAt ?? report.StartedAt,
                Activity = [.. known.Activity, .. report.Activity.Where(a => known.Activity.Count == 0 || a.At > known.Activity[^1].At)],
                Outcome = known.Outcome ?? report.Outcome,
            };
            return;
        }

        await GrainFactory.GetGrain<IExperimentGrain>(report.JobId).ReportRunAsync(Machine, report).ConfigureAwait(true);
    }

    public ValueTask<RunnerPresence> GetPresenceAsync()
    {
        var alive = _session is not null && _lastHeartbeat is { } last && _time.GetUtcNow() - last < _options.HeartbeatTimeout;
        return ValueTask.FromResult(new RunnerPresence(Machine, _host, _lastHeartbeat, alive, _clockOffsetSeconds, _components, _activeJobs));
    }

    public ValueTask AssignAsync(RunnerJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Kind == RunnerJobKind.LoadPattern)
        {
            _identifications.Add(job.JobId);
        }

        _cancels.Remove(job.JobId);
        if (!_pending.Any(j => j.JobId == job.JobId))
        {
            _pending.Add(job);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CancelAsync(string jobId)
    {
        _pending.RemoveAll(j => j.JobId == jobId);
        _cancels.Add(jobId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<RunnerJobProgress?> GetJobAsync(string jobId) =>
        ValueTask.FromResult(_progress.TryGetValue(jobId, out var progress) ? progress : null);

    private void RequireSession(string session)
    {
        if (_session is null || session != _session)
        {
            // A silo restart or a newer runner: the runner registers again and carries on.
            throw new RequestRejectedException($"unknown runner session for machine {Machine}: register again");
        }
    }
}
