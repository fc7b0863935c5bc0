namespace Fleet.Api.Contracts.Experiments;

/// <summary>POST /api/experiments/{id}/marks: phase <c>Name</c> starts at <c>At</c> (default now).</summary>
public sealed record MarkRequest(string? Name, DateTimeOffset? At = null);
