using Fleet.AgentHost.Pushing;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// The runner role: registers with the machine's runner grain, heartbeats (each answer carries
/// jobs to start or cancel), runs jobs and reports what they print, mark and measure. Jobs keep
/// running while the cluster is unreachable; their reports wait in outboxes until it is back.
/// </summary>
public sealed partial class RunnerWorker : BackgroundService
{
    /// <summary>Finished jobs remembered, so a job handed again (a silo lost track) is reported, never run twice.</summary>
    private const int RememberedJobs = 256;

    /// <summary>What the runner grain says when this session is not its current one (see RunnerGrain).</summary>
    private const string UnknownSession = "unknown runner session";

    private readonly RunnerSettings _settings;
    private readonly ClusterConnection _cluster;
    private readonly ClusterClock _clock;
    private readonly IRunRecorder _recorder;
    private readonly Func<RunnerJob, IRunnerJob?> _loadPatterns;
    private readonly ILogger<RunnerWorker> _logger;
    private readonly WriterSigner? _signer;
    private readonly Dictionary<string, IRunnerJob> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<string> _finished = new();

    // New with every runner process: the cluster refuses a second process for the machine while this one lives.
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private string? _session;
    private TimeSpan _heartbeat = TimeSpan.FromSeconds(1);
    private string? _lastProblem;

    /// <param name="loadPatterns">Makes and starts the job of a load pattern (socket identification).</param>
    public RunnerWorker(RunnerSettings settings, ClusterConnection cluster, ClusterClock clock, IRunRecorder recorder, Func<RunnerJob, IRunnerJob?> loadPatterns, ILogger<RunnerWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _cluster = cluster;
        _clock = clock;
        _recorder = recorder;
        _loadPatterns = loadPatterns;
        _logger = logger;
        _signer = settings.Certificate is { } certificate ? new WriterSigner(certificate) : null;
    }

    /// <summary>Job ids running now.</summary>
    public IReadOnlyList<string> ActiveJobs => [.. _jobs.Where(j => !j.Value.Completion.IsCompleted).Select(j => j.Key)];

    public override void Dispose()
    {
        _signer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _recorder.StartMetersAsync(stoppingToken).ConfigureAwait(false);
        var meters = string.Join(", ", _recorder.Components.Select(c => c.Available ? $"{c.Component}: {c.Source}" : $"{c.Component}: none ({c.Reason})"));
        LogStarted(_settings.Machine, meters);
        var delay = TimeSpan.FromSeconds(0.5);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var runner = await _cluster.GetRunnerAsync(_settings.Machine, stoppingToken).ConfigureAwait(false);
                if (_session is null)
                {
                    await RegisterAsync(runner).ConfigureAwait(false);
                }

                await HeartbeatAsync(runner).ConfigureAwait(false);
                await ReportAsync(runner).ConfigureAwait(false);
                if (_lastProblem is not null)
                {
                    LogBack(_settings.Machine);
                    _lastProblem = null;
                }

                delay = TimeSpan.FromSeconds(0.5);
                // A backlog goes at once, news within 200 ms, and otherwise the next heartbeat.
                var pause = _jobs.Values.Any(j => j.Outbox.Backlogged) ? TimeSpan.Zero
                    : _jobs.Values.Any(j => j.Outbox.HasNews) ? TimeSpan.FromMilliseconds(200)
                    : _heartbeat;
                await Task.Delay(pause, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RequestRejectedException error) when (error.Message.Contains(UnknownSession, StringComparison.Ordinal))
            {
                // The silo restarted or another runner took over the machine: open a new session.
                _session = null;
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Transient or refused, said once per distinct problem; the jobs keep running.
                if (error.Message != _lastProblem)
                {
                    LogProblem(_settings.Machine, error.Message);
                    _lastProblem = error.Message;
                }

                _session = error is RequestRejectedException ? null : _session;
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping while the cluster is away: the jobs are still stopped below.
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.MaxRetryDelay.Ticks));
            }
        }

        await StopJobsAsync().ConfigureAwait(false);
        await LeaveAsync().ConfigureAwait(false);
    }

    /// <summary>Tells the cluster this runner is gone, so a restarted runner takes the machine at once; best effort, briefly.</summary>
    private async Task LeaveAsync()
    {
        if (_session is not { } session)
        {
            return;
        }

        using var brief = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            var runner = await _cluster.GetRunnerAsync(_settings.Machine, brief.Token).ConfigureAwait(false);
            await runner.LeaveAsync(session).AsTask().WaitAsync(brief.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The cluster is away: the session ends by its heartbeat timeout instead.
            LogLeaveFailed(_settings.Machine, error.Message);
        }
    }

    private async Task RegisterAsync(IRunnerGrain runner)
    {
        var challenge = await runner.ChallengeAsync().ConfigureAwait(false);
        var hello = new RunnerHello(_settings.Machine, _settings.Host, _clock.LocalNow, _recorder.Components, InstanceId: _instance, Challenge: challenge);
        var sent = _clock.LocalNow;
        var session = await runner.RegisterAsync(_signer?.Sign(hello) ?? hello).ConfigureAwait(false);
        _clock.Observe(sent, session.ServerTime, _clock.LocalNow);
        _heartbeat = TimeSpan.FromSeconds(session.HeartbeatSeconds);
        _session = session.SessionId;
        LogRegistered(_settings.Machine, _clock.OffsetSeconds * 1000);
        foreach (var job in _jobs.Values)
        {
            // A new session may be a new silo: whatever it may have missed is sent again.
            job.Outbox.Resend();
        }
    }

    private async Task HeartbeatAsync(IRunnerGrain runner)
    {
        var sent = _clock.LocalNow;
        var instructions = await runner.HeartbeatAsync(new RunnerHeartbeat(_session!, sent, _clock.OffsetSeconds, ActiveJobs)).ConfigureAwait(false);
        _clock.Observe(sent, instructions.ServerTime, _clock.LocalNow);
        foreach (var job in instructions.Start)
        {
            Start(job);
        }

        foreach (var id in instructions.Cancel)
        {
            if (_jobs.TryGetValue(id, out var job) && !job.Completion.IsCompleted)
            {
                LogCancelling(id);
                job.Cancel();
            }
        }
    }

    private void Start(RunnerJob job)
    {
        if (_jobs.TryGetValue(job.JobId, out var known))
        {
            // Handed again: never run twice; report it again instead.
            known.Outbox.Resend();
            return;
        }

        IRunnerJob? started = null;
        if (job.Kind == RunnerJobKind.Command && job.Run is { } run)
        {
            var command = new CommandJob(job.JobId, run, _clock, _recorder);
            command.Start();
            started = command;
            var line = string.Join(' ', run.Command);
            LogStartedJob(job.JobId, line);
        }
        else if (job.Kind == RunnerJobKind.LoadPattern)
        {
            started = _loadPatterns(job);
        }

        if (started is not null)
        {
            _jobs[job.JobId] = started;
        }
    }

    private async Task ReportAsync(IRunnerGrain runner)
    {
        foreach (var job in _jobs.Values.ToList())
        {
            // One report per job per pass: a command printing faster than reports go must not
            // keep the runner from its heartbeats (and their cancels).
            if (job.Outbox.Snapshot(_session!) is { } report)
            {
                try
                {
                    await runner.ReportAsync(report).ConfigureAwait(false);
                }
                catch (RequestRejectedException error) when (!error.Message.Contains(UnknownSession, StringComparison.Ordinal))
                {
                    // Refused for good (an experiment the cluster does not know): said once, dropped,
                    // and the other jobs' reports go on.
                    LogReportRefused(job.JobId, error.Message);
                    job.Outbox.Abandon();
                    continue;
                }

                job.Outbox.Acknowledge(report);
                if (report.Outcome is { } outcome)
                {
                    var exitCode = outcome.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
                    LogEnded(job.JobId, exitCode, outcome.Error ?? string.Empty);
                }
            }

            if (job.Completion.IsCompleted && job.Outbox.Delivered && !_finished.Contains(job.JobId))
            {
                _finished.Enqueue(job.JobId);
                while (_finished.Count > RememberedJobs && _finished.TryDequeue(out var old))
                {
                    if (_jobs.Remove(old, out var gone))
                    {
                        await gone.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private async Task StopJobsAsync()
    {
        // A stopped runner leaves no command behind; the experiment sees the runner go.
        foreach (var job in _jobs.Values)
        {
            job.Cancel();
        }

        foreach (var job in _jobs.Values)
        {
            await job.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner for machine {Machine}; component meters: {Components}")]
    private partial void LogStarted(string machine, string components);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered as the runner of {Machine} (clock offset to the cluster {OffsetMilliseconds:0.0} ms)")]
    private partial void LogRegistered(string machine, double offsetMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runner of {Machine}: {Problem} (jobs keep running; trying again)")]
    private partial void LogProblem(string machine, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner of {Machine}: could not say goodbye to the cluster ({Problem}); its session ends by the heartbeat timeout")]
    private partial void LogLeaveFailed(string machine, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner of {Machine}: the cluster is reachable again")]
    private partial void LogBack(string machine);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: running {Command}")]
    private partial void LogStartedJob(string job, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: cancelling (SIGTERM, then SIGKILL after the grace period)")]
    private partial void LogCancelling(string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: the cluster refused its report for good, nothing more is sent for it: {Reason}")]
    private partial void LogReportRefused(string job, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: ended, exit code {ExitCode} {Error}")]
    private partial void LogEnded(string job, string exitCode, string error);
}
