using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Experiments;

/// <summary>An experiment's command on one machine as its runner reported it (cluster times).</summary>
[GenerateSerializer, Alias("fleet.MachineRunState")]
public sealed class MachineRunState
{
    [Id(0)]
    public string? Host { get; set; }

    [Id(1)]
    public DateTimeOffset? StartedAt { get; set; }

    [Id(2)]
    public RunOutcome? Outcome { get; set; }

    [Id(3)]
    public List<ComponentStatus> Components { get; set; } = [];

    /// <summary>When the job was last handed to the runner (it is handed again when the runner does not show it).</summary>
    [Id(4)]
    public DateTimeOffset? AssignedAt { get; set; }
}
