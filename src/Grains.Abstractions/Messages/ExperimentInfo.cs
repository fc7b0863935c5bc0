namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// An experiment as callers see it: lifecycle, machines, marks and the phase windows the grain
/// derives from them (the one place that rule lives), and its energy: once stopped, the stored
/// results (<paramref name="ResultsUntil"/> = the end); while running, from
/// <see cref="IExperimentGrain.GetReportAsync"/> only, the energy so far up to <paramref name="ResultsUntil"/>.
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
    [property: Id(9)] DateTimeOffset? ResultsUntil = null);
