namespace Fleet.Api.Contracts.Runs;

/// <summary>
/// POST /api/submissions: run <c>Command</c> (argv, not a shell line) on every machine through
/// its runner, measured as one experiment. The id is generated and the name is the command line
/// when absent; no idle baseline unless asked; a cancel waits 10 s between SIGTERM and SIGKILL
/// unless told otherwise.
/// </summary>
public sealed record SubmitRequest(
    string? Id,
    string? Name,
    IReadOnlyList<string?>? Machines,
    IReadOnlyList<string?>? Command,
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string?>? Environment = null,
    double? IdleBaselineSeconds = null,
    double? CancelGraceSeconds = null);
