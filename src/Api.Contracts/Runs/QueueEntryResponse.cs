using System.ComponentModel;
using Fleet.Api.Contracts.Experiments;

namespace Fleet.Api.Contracts.Runs;

/// <summary>An experiment that holds or waits for machines: queued, measuring its idle baseline, or running.</summary>
public sealed record QueueEntryResponse(
    [property: Description("1 for the oldest.")] int Position,
    string Id,
    string Name,
    ExperimentStatus Status,
    IReadOnlyList<string> Machines,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? StartedAt,
    [property: Description("For a queued experiment, the experiments before it in the queue that share one of its machines.")] IReadOnlyList<string> WaitingFor);
