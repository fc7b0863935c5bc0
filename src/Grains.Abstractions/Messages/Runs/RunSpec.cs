namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// What a submitted experiment runs on each of its machines, through their runners: the command
/// (argv, not a shell line), its working directory and environment, an idle baseline measured
/// before it, and how long a cancel waits between SIGTERM and SIGKILL.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RunSpec")]
public sealed record RunSpec(
    [property: Id(0)] IReadOnlyList<string> Command,
    [property: Id(1)] string? WorkingDirectory,
    [property: Id(2)] IReadOnlyDictionary<string, string> Environment,
    [property: Id(3)] double IdleBaselineSeconds,
    [property: Id(4)] double CancelGraceSeconds = 10);
