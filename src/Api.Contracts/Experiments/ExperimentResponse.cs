using System.ComponentModel;

namespace Fleet.Api.Contracts.Experiments;

/// <summary>
/// An experiment as callers see it: lifecycle, machines, marks and the phases they make, and its
/// energy per machine and phase: once stopped, the stored results; while running (GET
/// /api/experiments/{id} only), the energy so far, up to <c>ResultsUntil</c>.
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
    IReadOnlyList<EnergyResultResponse> Results,
    [property: Description("How far the results reach: the end for a stopped experiment; for a running one (GET /api/experiments/{id}), the newest frame stored for its boxes. Null when there are no results (not started, cancelled, or a list).")] DateTimeOffset? ResultsUntil = null);
