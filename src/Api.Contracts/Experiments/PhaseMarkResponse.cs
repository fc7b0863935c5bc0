namespace Fleet.Api.Contracts.Experiments;

/// <summary>A mark as it was set: phase <c>Name</c> starts at <c>At</c>.</summary>
public sealed record PhaseMarkResponse(string Name, DateTimeOffset At);
