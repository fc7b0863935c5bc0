namespace Fleet.Api.Contracts.Tokens;

/// <summary>A token just created: the only time its text is shown (the silo keeps its hash).</summary>
public sealed record CreatedTokenResponse(string Name, string Role, string Token, DateTimeOffset CreatedAt);
