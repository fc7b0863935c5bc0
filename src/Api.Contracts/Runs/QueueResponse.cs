namespace Fleet.Api.Contracts.Runs;

/// <summary>GET /api/queue: the experiments queued, measuring their idle baseline or running, oldest first.</summary>
public sealed record QueueResponse(IReadOnlyList<QueueEntryResponse> Experiments);
