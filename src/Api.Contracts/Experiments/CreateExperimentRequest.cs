namespace Fleet.Api.Contracts.Experiments;

/// <summary>POST /api/experiments: the id is generated when absent, the name is the id when absent.</summary>
public sealed record CreateExperimentRequest(string? Id, string? Name, IReadOnlyList<string?>? Machines);
