namespace Fleet.Api.Contracts.Runs;

/// <summary>What a runner found for one component ("rapl", "gpu"): the source of its numbers when available, else why not.</summary>
public sealed record ComponentStatusResponse(string Component, bool Available, string Source, string? Reason);
