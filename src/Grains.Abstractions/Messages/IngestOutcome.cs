namespace Fleet.Grains.Abstractions.Messages;

/// <summary>What the meter did with a batch. Either way the agent may delete it from its spool.</summary>
[GenerateSerializer, Alias("fleet.IngestOutcome")]
public enum IngestOutcome
{
    /// <summary>Stored durably now.</summary>
    Stored = 0,

    /// <summary>Already stored earlier (a retry): nothing was written again.</summary>
    Duplicate = 1,
}
