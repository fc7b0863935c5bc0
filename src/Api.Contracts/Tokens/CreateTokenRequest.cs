namespace Fleet.Api.Contracts.Tokens;

/// <summary>POST /api/tokens: a new token named <c>Name</c> with role viewer, experimenter or admin.</summary>
public sealed record CreateTokenRequest(string? Name, string? Role);
