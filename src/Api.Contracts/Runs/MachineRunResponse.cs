namespace Fleet.Api.Contracts.Runs;

/// <summary>
/// An experiment's command on one machine: the runner's host, when it ran (cluster time), its
/// exit code once it ended (null when it could not start, was killed, or its runner was lost),
/// why it failed, and the component meters the runner found.
/// </summary>
public sealed record MachineRunResponse(
    string Machine,
    string? Host,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int? ExitCode,
    string? Error,
    IReadOnlyList<ComponentStatusResponse> Components);
