namespace Fleet.Api.Contracts.Errors;

/// <summary>Every 4xx/5xx body: one sentence a user can act on.</summary>
public sealed record ApiError(string Error);
