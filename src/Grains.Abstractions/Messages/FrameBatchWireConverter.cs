namespace Fleet.Grains.Abstractions.Messages;

/// <summary>Tells Orleans to send a <see cref="FrameBatch"/> as a <see cref="FrameBatchWire"/>.</summary>
[RegisterConverter]
public sealed class FrameBatchWireConverter : IConverter<FrameBatch, FrameBatchWire>
{
    public FrameBatch ConvertFromSurrogate(in FrameBatchWire surrogate)
    {
        var columns = surrogate.Columns is { } packed
            ? FrameBatchPayload.Unpack(packed)
            : new FrameBatchPayload.Unpacked(
                surrogate.LegacyTimesUnixMicroseconds!, surrogate.LegacyFrameIds!, surrogate.LegacyValid!,
                surrogate.LegacyVoltagesVolts!, surrogate.LegacyCurrentsAmperes!, surrogate.LegacyPowersWatts!);
        return new FrameBatch(
            surrogate.SourceId, surrogate.Sequence, surrogate.Plugs,
            columns.TimesUnixMicroseconds, columns.FrameIds, columns.Valid, columns.VoltagesVolts, columns.CurrentsAmperes, columns.PowersWatts,
            surrogate.FramesMissingById, surrogate.FramesBadCheck, surrogate.AgentHost, surrogate.WriterId)
        {
            Signature = surrogate.Signature,
        };
    }

    public FrameBatchWire ConvertToSurrogate(in FrameBatch value) => new()
    {
        SourceId = value.SourceId,
        Sequence = value.Sequence,
        Plugs = value.Plugs,
        FramesMissingById = value.FramesMissingById,
        FramesBadCheck = value.FramesBadCheck,
        AgentHost = value.AgentHost,
        WriterId = value.WriterId,
        Signature = value.Signature,
        Columns = FrameBatchPayload.Pack(value),
    };
}
