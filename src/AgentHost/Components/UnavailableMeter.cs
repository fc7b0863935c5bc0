using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Components;

/// <summary>A component this machine cannot measure, kept so hellos and reports say why rather than showing 0 J.</summary>
public sealed class UnavailableMeter : IComponentMeter
{
    public UnavailableMeter(string component, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Component = component;
        Status = new ComponentStatus(component, Available: false, Source: "none", Reason: reason);
    }

    public string Component { get; }

    public ComponentStatus Status { get; }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public double ReadJoules() => throw new InvalidOperationException($"{Component} is not measured: {Status.Reason}");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
