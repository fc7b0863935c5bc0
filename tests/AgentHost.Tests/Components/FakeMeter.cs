using Fleet.AgentHost.Components;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Tests.Components;

/// <summary>A meter whose counter the test sets; reads throw while <see cref="Broken"/>.</summary>
internal sealed class FakeMeter(string component, bool available = true) : IComponentMeter
{
    private double _joules;

    public string Component { get; } = component;

    public ComponentStatus Status { get; set; } = new(component, available, "fake", available ? null : "not here");

    public bool Started { get; private set; }

    public bool Broken { get; set; }

    public double Joules
    {
        get => Volatile.Read(ref _joules);
        set => Volatile.Write(ref _joules, value);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
        return Task.CompletedTask;
    }

    public double ReadJoules() => Broken ? throw new IOException("read failed") : Joules;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
