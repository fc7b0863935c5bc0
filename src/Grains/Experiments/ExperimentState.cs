using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Experiments;

/// <summary>An experiment's durable state; <see cref="Name"/> is null until it is submitted.</summary>
[GenerateSerializer, Alias("fleet.ExperimentState")]
public sealed class ExperimentState
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public ExperimentStatus Status { get; set; }

    [Id(2)]
    public List<string> Machines { get; set; } = [];

    [Id(3)]
    public List<PhaseMark> Marks { get; set; } = [];

    [Id(4)]
    public DateTimeOffset? StartedAt { get; set; }

    [Id(5)]
    public DateTimeOffset? FinishedAt { get; set; }

    [Id(6)]
    public List<EnergyResult> Results { get; set; } = [];

    /// <summary>The command runners run; null for an experiment driven by start/mark/stop calls.</summary>
    [Id(7)]
    public RunSpec? Run { get; set; }

    [Id(8)]
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>When the idle baseline began (it ends when the command starts, at <see cref="StartedAt"/>).</summary>
    [Id(9)]
    public DateTimeOffset? BaselineFrom { get; set; }

    [Id(10)]
    public Dictionary<string, MachineRunState> Runs { get; set; } = new(StringComparer.Ordinal);

    [Id(11)]
    public string? Reason { get; set; }

    [Id(12)]
    public List<string> Warnings { get; set; } = [];

    [Id(13)]
    public List<ComponentEnergyResult> Components { get; set; } = [];

    [Id(14)]
    public List<EnergyResult> Baseline { get; set; } = [];

    /// <summary>When the command was handed to the runners; <see cref="StartedAt"/> moves to when it really started.</summary>
    [Id(15)]
    public DateTimeOffset? CommandAt { get; set; }
}
