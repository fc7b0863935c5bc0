using System.Text.Json;

namespace Fleet.Api.Contracts.Audit;

/// <summary>One write through the API (GET /api/audit): who, when, what, the answer's status, and the state before and after where the endpoint records it.</summary>
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string Role, string Method, string Path, int Status, JsonElement? Before, JsonElement? After);
