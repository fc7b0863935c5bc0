namespace Fleet.Api.Contracts.Experiments;

/// <summary>
/// An experiment as callers see it: lifecycle, machines, marks and the phases they make, and
/// (once stopped) its energy per machine and phase.
/// </summary>
public sealed record ExperimentResponse(
    string Id,
    string Name,
    ExperimentStatus Status,
    IReadOnlyList<string> Machines,
    IReadOnlyList<PhaseMarkResponse> Marks,
    IReadOnlyList<PhaseResponse> Phases,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<EnergyResultResponse> Results);
