using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// What every job shares: it runs on the thread pool from <see cref="Start"/>, a cancel reaches
/// it as its token, and it is over when its outcome is in the outbox.
/// </summary>
public abstract class BackgroundJob : IRunnerJob
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _task;

    protected BackgroundJob(string jobId)
    {
        JobId = jobId;
        Outbox = new JobOutbox(jobId);
    }

    public string JobId { get; }

    public JobOutbox Outbox { get; }

    public Task Completion => _completion.Task;

    public void Start() => _task = Task.Run(async () =>
    {
        try
        {
            await RunAsync(_cancel.Token).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The job cannot go on; the experiment hears why instead of waiting for an end forever.
            var now = DateTimeOffset.UtcNow;
            Outbox.Ended(new RunOutcome(null, now, now, $"the runner failed: {error.Message}", Cancelled: false));
        }
        finally
        {
            _completion.TrySetResult();
        }
    });

    public void Cancel() => _cancel.Cancel();

    public async ValueTask DisposeAsync()
    {
        _cancel.Cancel();
        if (_task is not null)
        {
            await _task.ConfigureAwait(false);
        }

        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs the job to its end and puts its outcome in the outbox; <paramref name="cancellationToken"/> is the cancel.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);
}
