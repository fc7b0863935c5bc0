namespace Fleet.Grains.Abstractions.Messages;

/// <summary>
/// <see cref="FrameBatch"/> as it travels between agent and silo: its six column arrays packed
/// into one byte array (<see cref="FrameBatchPayload"/>). Orleans writes and reads arrays of
/// numbers one element at a time, which cost the silo more per frame than the rules and the
/// live window together; one byte array is copied whole. The other fields keep the ids they had
/// when the arrays were fields of their own (3 to 8, now never written), so a batch from an
/// agent of the earlier format is still read.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.FrameBatchWire")]
public readonly record struct FrameBatchWire
{
    [Id(0)] public string SourceId { get; init; }

    [Id(1)] public long Sequence { get; init; }

    [Id(2)] public int Plugs { get; init; }

    [Id(3)] public long[]? LegacyTimesUnixMicroseconds { get; init; }

    [Id(4)] public int[]? LegacyFrameIds { get; init; }

    [Id(5)] public bool[]? LegacyValid { get; init; }

    [Id(6)] public float[]? LegacyVoltagesVolts { get; init; }

    [Id(7)] public float[]? LegacyCurrentsAmperes { get; init; }

    [Id(8)] public float[]? LegacyPowersWatts { get; init; }

    [Id(9)] public long FramesMissingById { get; init; }

    [Id(10)] public long FramesBadCheck { get; init; }

    [Id(11)] public string AgentHost { get; init; }

    [Id(12)] public string WriterId { get; init; }

    [Id(13)] public WriterSignature? Signature { get; init; }

    /// <summary>The six columns, packed by <see cref="FrameBatchPayload.Pack"/>; null in a batch of the earlier format.</summary>
    [Id(14)] public byte[]? Columns { get; init; }
}
