using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>GET /api/experiments/{id}/logs: lines after a cursor, the next cursor, and whether more can come.</summary>
public sealed record LogsResponse(
    IReadOnlyList<LogLineResponse> Lines,
    [property: Description("The 'after' of the next request: the last line's id, or the request's 'after' without lines.")] long NextAfter,
    [property: Description("True once the experiment is no longer queued, measuring its baseline or running: no new line will come once these are read.")] bool Done);
