using System.Buffers.Binary;

namespace Fleet.OmegaWatt.Protocol;

/// <summary>Writes frames the way a box does: sums over n samples, then sync, length, payload, check byte.</summary>
public static class FrameEncoder
{
    /// <summary>
    /// Encodes one frame into <paramref name="destination"/> and returns its length. The box
    /// sends Σu², Σi² and Σp over <paramref name="sampleCount"/> samples; a sample count of 0
    /// produces a frame the decoder reports as invalid.
    /// </summary>
    public static int Write(
        Span<byte> destination,
        ushort frameId,
        uint delta,
        uint sampleCount,
        ReadOnlySpan<float> voltagesVolts,
        ReadOnlySpan<float> currentsAmperes,
        ReadOnlySpan<float> powersWatts)
    {
        var plugs = currentsAmperes.Length;
        if (!FrameLayout.IsValidPlugCount(plugs) || powersWatts.Length != plugs)
        {
            throw new ArgumentException($"A frame carries a multiple of 6 plugs up to {FrameLayout.MaxPlugs}, with one current and one power each; got {currentsAmperes.Length} currents and {powersWatts.Length} powers.");
        }

        if (voltagesVolts.Length != FrameLayout.Phases)
        {
            throw new ArgumentException("A frame carries exactly 3 phase voltages.", nameof(voltagesVolts));
        }

        var payloadLength = FrameLayout.PayloadLength(plugs);
        var frameLength = FrameLayout.FrameLength(plugs);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, frameLength, nameof(destination));

        FrameLayout.Sync.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[FrameLayout.LengthOffset..], (ushort)payloadLength);
        var payload = destination.Slice(FrameLayout.HeaderLength, payloadLength);
        BinaryPrimitives.WriteUInt16LittleEndian(payload, frameId);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[FrameLayout.DeltaOffset..], delta);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[FrameLayout.SampleCountOffset..], sampleCount);
        for (var phase = 0; phase < FrameLayout.Phases; phase++)
        {
            var u = voltagesVolts[phase];
            BinaryPrimitives.WriteSingleLittleEndian(payload[(FrameLayout.VoltageOffset + (phase * 4))..], u * u * sampleCount);
        }

        for (var plug = 0; plug < plugs; plug++)
        {
            var i = currentsAmperes[plug];
            BinaryPrimitives.WriteSingleLittleEndian(payload[FrameLayout.CurrentOffset(plug)..], i * i * sampleCount);
            BinaryPrimitives.WriteSingleLittleEndian(payload[FrameLayout.PowerOffset(plug)..], powersWatts[plug] * sampleCount);
        }

        destination[frameLength - 1] = CheckByte.Compute(destination.Slice(FrameLayout.LengthOffset, 2 + payloadLength));
        return frameLength;
    }
}
