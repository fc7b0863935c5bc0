namespace Fleet.Storage.Runs;

/// <summary>An experiment's command on one machine: who ran it, when, and how it ended.</summary>
public sealed record RunRow(string Machine, string? Host, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, int? ExitCode, string? Error);
