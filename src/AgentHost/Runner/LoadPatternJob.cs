using Fleet.AgentHost.Runner.Activity;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// A socket identification on this machine: drives the pseudo-random on/off load and reports
/// when it started (cluster time) and the CPU it used, for the silo to correlate with every
/// socket's power.
/// </summary>
public sealed class LoadPatternJob : BackgroundJob
{
    /// <summary>Lead before the first slot, so it is whole even when the job arrived mid-heartbeat.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(200);

    private readonly LoadPattern _pattern;
    private readonly ClusterClock _clock;
    private readonly int _threads;

    private LoadPatternJob(string jobId, LoadPattern pattern, ClusterClock clock, int threads)
        : base(jobId)
    {
        _pattern = pattern;
        _clock = clock;
        _threads = threads;
    }

    /// <summary>Starts the pattern of <paramref name="job"/>; null when the job carries none.</summary>
    public static IRunnerJob? Start(RunnerJob job, ClusterClock clock, int threads)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Pattern is not { } pattern)
        {
            return null;
        }

        var started = new LoadPatternJob(job.JobId, pattern, clock, threads);
        started.Start();
        return started;
    }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = _clock.LocalNow + Lead;
        var offset = TimeSpan.FromSeconds(_clock.OffsetSeconds);
        Outbox.Started(start + offset);
        var activity = new ProcessTreeActivity(Environment.ProcessId);
        activity.Sample();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(activity, sampling.Token);
        string? error = null;
        var cancelled = false;
        try
        {
            await new LoadPatternDriver(_threads).RunAsync(_pattern, start, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            error = "cancelled";
        }

        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        Outbox.Ended(new RunOutcome(cancelled ? null : 0, start + offset, _clock.Now, error, cancelled));
    }

    private async Task SampleAsync(ProcessTreeActivity activity, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Outbox.Activity(new ActivitySample(_clock.Now, activity.Sample()));
            }
        }
        catch (OperationCanceledException)
        {
            // The pattern ended.
        }
    }
}
