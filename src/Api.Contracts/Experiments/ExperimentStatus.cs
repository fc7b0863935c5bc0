using System.Text.Json.Serialization;
using Fleet.Api.Contracts.Json;

namespace Fleet.Api.Contracts.Experiments;

/// <summary>An experiment's lifecycle: submitted (or queued, then baseline, for a command run by runners) → running → finished, failed or cancelled.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ExperimentStatus>))]
public enum ExperimentStatus
{
    Submitted,
    Running,
    Finished,
    Failed,
    Cancelled,

    /// <summary>Submitted with a command, waiting for its machines' leases.</summary>
    Queued,

    /// <summary>Holding its machines and measuring their idle baseline before the command starts.</summary>
    Baseline,
}
