namespace Fleet.Storage.Experiments;

/// <summary>An experiment's row for queries and Grafana; the grain's own state stays authoritative.</summary>
public sealed record ExperimentRecord(
    string ExperimentId,
    string Name,
    string Status,
    IReadOnlyList<string> Machines,
    IReadOnlyList<(string Name, DateTimeOffset At)> Marks,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
