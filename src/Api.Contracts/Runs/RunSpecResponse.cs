namespace Fleet.Api.Contracts.Runs;

/// <summary>What a submitted experiment runs on each of its machines.</summary>
public sealed record RunSpecResponse(
    IReadOnlyList<string> Command,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    double IdleBaselineSeconds,
    double CancelGraceSeconds);
