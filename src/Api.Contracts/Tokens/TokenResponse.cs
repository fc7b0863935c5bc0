namespace Fleet.Api.Contracts.Tokens;

/// <summary>A token as listed (GET /api/tokens): never its text.</summary>
public sealed record TokenResponse(string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);
