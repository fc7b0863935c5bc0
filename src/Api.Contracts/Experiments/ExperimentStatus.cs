using System.Text.Json.Serialization;
using Fleet.Api.Contracts.Json;

namespace Fleet.Api.Contracts.Experiments;

/// <summary>An experiment's lifecycle: submitted → running → finished, failed or cancelled.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ExperimentStatus>))]
public enum ExperimentStatus
{
    Submitted,
    Running,
    Finished,
    Failed,
    Cancelled,
}
