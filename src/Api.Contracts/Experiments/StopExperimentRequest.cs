namespace Fleet.Api.Contracts.Experiments;

/// <summary>POST /api/experiments/{id}/stop: when it ended (default now); <c>Failed</c> records it as failed (its energy is still computed).</summary>
public sealed record StopExperimentRequest(DateTimeOffset? At = null, bool Failed = false);
