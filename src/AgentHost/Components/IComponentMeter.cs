using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Components;

/// <summary>
/// One component's energy on this machine ("rapl": CPU packages and DRAM; "gpu": every GPU) as a
/// cumulative counter. The runner reads it while a command runs and the cluster takes the
/// difference over each phase. An unavailable meter stays in the list so the report can say why.
/// </summary>
public interface IComponentMeter : IAsyncDisposable
{
    /// <summary>"rapl" or "gpu", as in <see cref="ComponentSample.Component"/>.</summary>
    string Component { get; }

    /// <summary>The source of the numbers, or why there are none; can turn unavailable while running (a sampler that died).</summary>
    ComponentStatus Status { get; }

    /// <summary>
    /// Starts counting (and the background sampler a meter needs); a second call does nothing.
    /// Does not throw when the source fails to start: <see cref="Status"/> turns unavailable instead.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Joules since <see cref="StartAsync"/>, counter wraps unfolded. Throws when the meter is unavailable or not started.</summary>
    double ReadJoules();
}
