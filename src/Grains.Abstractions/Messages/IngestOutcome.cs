namespace Fleet.Grains.Abstractions.Messages;

/// <summary>What the meter did with a batch. Either way the agent may delete it from its spool.</summary>
[GenerateSerializer, Alias("fleet.IngestOutcome")]
public enum IngestOutcome
{
    /// <summary>Stored durably now (all its frames, or those not stored before).</summary>
    Stored = 0,

    /// <summary>Already stored: by sequence (a retry) or by content (the same frames again); nothing was written.</summary>
    Duplicate = 1,
}
