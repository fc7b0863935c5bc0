using System.Text.Json.Serialization;
using Fleet.Api.Contracts.Json;

namespace Fleet.Api.Contracts.Importing;

/// <summary>What the box's meter did with an imported batch.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<IngestOutcome>))]
public enum IngestOutcome
{
    /// <summary>Stored durably now (all its frames, or those not stored before).</summary>
    Stored,

    /// <summary>Already stored: a retry, or the same frames from this or another file; nothing was written.</summary>
    Duplicate,
}
