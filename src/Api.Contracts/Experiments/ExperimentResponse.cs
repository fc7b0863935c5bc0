using System.ComponentModel;
using Fleet.Api.Contracts.Runs;

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
    [property: Description("How far the results reach: the end for a stopped experiment; for a running one (GET /api/experiments/{id}), the newest frame stored for its boxes. Null when there are no results (not started, cancelled, or a list).")] DateTimeOffset? ResultsUntil = null,
    [property: Description("The command run on every machine; null for an experiment driven by hand.")] RunSpecResponse? Run = null,
    [property: Description("Each machine's command: host, times, exit code, error, component meters.")] IReadOnlyList<MachineRunResponse>? Runs = null,
    [property: Description("Component energy (rapl, gpu) per machine and phase; joules null when a component was not measured.")] IReadOnlyList<ComponentEnergyResponse>? Components = null,
    [property: Description("Wall against components per machine and phase, computed by the silo.")] IReadOnlyList<ComparisonRowResponse>? Comparison = null,
    [property: Description("The wall energy of each machine over its idle baseline (phase \"(idle baseline)\", before the start).")] IReadOnlyList<EnergyResultResponse>? Baseline = null,
    [property: Description("Why the experiment failed, when it did.")] string? Reason = null,
    IReadOnlyList<string>? Warnings = null,
    DateTimeOffset? SubmittedAt = null);
