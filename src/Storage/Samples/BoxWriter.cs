namespace Fleet.Storage.Samples;

/// <summary>The agent that last stored frames of a box, and how long ago (by the database's clock).</summary>
public sealed record BoxWriter(string WriterId, string? AgentHost, TimeSpan SilentFor);
