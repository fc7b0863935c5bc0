using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// What a runner records beside a running job: component meters' counters and the CPU the job's
/// process tree uses, into the job's outbox. Sampled at start, at every mark, every second and
/// at the end, so every phase boundary has a counter reading close to it.
/// </summary>
public interface IRunRecorder
{
    /// <summary>What the meters found (sources, or why a component is missing), for the hello.</summary>
    IReadOnlyList<ComponentStatus> Components { get; }

    /// <summary>Starts the meters that sample in the background (nvidia-smi), so the hello says what really works.</summary>
    Task StartMetersAsync(CancellationToken cancellationToken);

    /// <summary>Starts recording process <paramref name="processId"/> and its descendants; disposing takes a last sample and stops.</summary>
    Task<IAsyncDisposable> StartAsync(int processId, JobOutbox outbox);

    /// <summary>A reading now (a mark): the phase boundary gets its own counter value.</summary>
    void SampleNow(JobOutbox outbox);
}
