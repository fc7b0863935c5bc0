using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>A recorder with no meters (placeholder until component meters are wired).</summary>
public sealed class NoRecorder : IRunRecorder
{
    public IReadOnlyList<ComponentStatus> Components { get; } = [];

    public Task<IAsyncDisposable> StartAsync(int processId, JobOutbox outbox) => Task.FromResult<IAsyncDisposable>(new Nothing());

    public Task StartMetersAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void SampleNow(JobOutbox outbox)
    {
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
