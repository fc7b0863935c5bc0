using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// An experiment as callers see it: lifecycle, machines, marks and the phase windows the grain
/// derives from them (the one place that rule lives), and its energy: once stopped, the stored
/// results (<paramref name="ResultsUntil"/> = the end); while running, from
/// <see cref="IExperimentGrain.GetReportAsync"/> only, the energy so far up to <paramref name="ResultsUntil"/>.
/// A submitted run adds its command (<paramref name="Run"/>), each machine's run, the component
/// energy per machine and phase, the idle baseline's wall energy per machine (phase
/// "(idle baseline)", before the start), why it failed (<paramref name="Reason"/>) and warnings
/// (such as a socket whose power did not follow the machine's activity).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ExperimentInfo")]
public sealed record ExperimentInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] ExperimentStatus Status,
    [property: Id(3)] IReadOnlyList<string> Machines,
    [property: Id(4)] IReadOnlyList<PhaseMark> Marks,
    [property: Id(5)] DateTimeOffset? StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt,
    [property: Id(7)] IReadOnlyList<EnergyResult> Results,
    [property: Id(8)] IReadOnlyList<PhaseWindow> Phases,
    [property: Id(9)] DateTimeOffset? ResultsUntil = null,
    [property: Id(10)] RunSpec? Run = null,
    [property: Id(11)] IReadOnlyList<MachineRun>? Runs = null,
    [property: Id(12)] IReadOnlyList<ComponentEnergyResult>? Components = null,
    [property: Id(13)] IReadOnlyList<EnergyResult>? Baseline = null,
    [property: Id(14)] string? Reason = null,
    [property: Id(15)] IReadOnlyList<string>? Warnings = null,
    [property: Id(16)] DateTimeOffset? SubmittedAt = null);
