using Fleet.Grains.Abstractions.Messages;

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
}
