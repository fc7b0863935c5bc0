namespace Fleet.Api.Contracts.Experiments;

/// <summary>POST /api/experiments/{id}/start: when it started (default now).</summary>
public sealed record StartExperimentRequest(DateTimeOffset? At = null);
