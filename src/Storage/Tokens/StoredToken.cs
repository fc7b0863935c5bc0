namespace Fleet.Storage.Tokens;

/// <summary>An API token as stored: never the token itself, only its hash (kept in the table, not here).</summary>
public sealed record StoredToken(long Id, string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);
