using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>A machine's runner: where it registered from, whether it is alive, its clock offset, its component meters and its jobs.</summary>
public sealed record RunnerResponse(
    string Machine,
    [property: Description("Null when no runner ever registered for the machine.")] string? Host,
    DateTimeOffset? LastHeartbeat,
    bool Alive,
    [property: Description("Cluster time minus the runner's clock.")] double ClockOffsetSeconds,
    IReadOnlyList<ComponentStatusResponse> Components,
    IReadOnlyList<string> ActiveJobs);
