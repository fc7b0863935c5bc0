using System.Text.Json.Serialization;
using Fleet.Api.Contracts.Json;

namespace Fleet.Api.Contracts.Importing;

/// <summary>What the box's meter did with an imported batch.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<IngestOutcome>))]
public enum IngestOutcome
{
    /// <summary>Stored durably now.</summary>
    Stored,

    /// <summary>Already stored earlier (a retry, or the same file imported again): nothing was written.</summary>
    Duplicate,
}
