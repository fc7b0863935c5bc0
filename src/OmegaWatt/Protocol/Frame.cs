using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Fleet.OmegaWatt.Protocol;

/// <summary>
/// One decoded frame: a view over its payload bytes, so reading a frame allocates nothing.
/// Values are computed the way the box defines them: RMS voltage and current as
/// sqrt(Σx²/n), active power as Σp/n (negative values are real transients).
/// </summary>
/// <remarks>
/// A frame handed out by <see cref="FrameDecoder"/> is valid until the next call on that
/// decoder; copy the values out (<see cref="CopyValuesTo"/>) to keep them.
/// </remarks>
public readonly ref struct Frame
{
    private readonly ReadOnlySpan<byte> _payload;

    public Frame(ReadOnlySpan<byte> payload, long sequence)
    {
        if (!FrameLayout.IsValidPayloadLength(payload.Length))
        {
            throw new ArgumentException($"A payload of {payload.Length} bytes is not 22 + 48 × modules.", nameof(payload));
        }

        _payload = payload;
        Sequence = sequence;
    }

    /// <summary>The payload bytes exactly as received (without sync, length and check byte).</summary>
    public ReadOnlySpan<byte> Payload => _payload;

    /// <summary>
    /// Frame periods since the first frame this decoder accepted, unwrapped across the u16
    /// frame-id wrap and counting lost frames, so time = start + Sequence × 10 ms.
    /// </summary>
    public long Sequence { get; }

    public ushort FrameId => BinaryPrimitives.ReadUInt16LittleEndian(_payload);

    /// <summary>Sub-second offset of the measurement in units of 2^-32 s.</summary>
    public uint Delta => BinaryPrimitives.ReadUInt32LittleEndian(_payload[FrameLayout.DeltaOffset..]);

    public double DeltaSeconds => Delta / 4294967296.0;

    /// <summary>Samples aggregated in this frame; 0 means the frame carries no data.</summary>
    public uint SampleCount => BinaryPrimitives.ReadUInt32LittleEndian(_payload[FrameLayout.SampleCountOffset..]);

    /// <summary>False for the frames the vendor tool prints as <c>frame_is_ok=false</c> (n = 0).</summary>
    public bool IsValid => SampleCount != 0;

    public int Plugs => FrameLayout.PlugsFromPayloadLength(_payload.Length);

    /// <summary>RMS voltage of <paramref name="phase"/> (0, 1 or 2), or NaN when the frame has no data.</summary>
    public float GetVoltageVolts(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)phase, (uint)FrameLayout.Phases, nameof(phase));
        return Rms(FrameLayout.VoltageOffset + (phase * 4));
    }

    /// <summary>RMS current of <paramref name="plug"/> (0-based), or NaN when the frame has no data.</summary>
    public float GetCurrentAmperes(int plug)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)plug, (uint)Plugs, nameof(plug));
        return Rms(FrameLayout.CurrentOffset(plug));
    }

    /// <summary>Mean active power of <paramref name="plug"/> (0-based), or NaN when the frame has no data.</summary>
    public float GetPowerWatts(int plug)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)plug, (uint)Plugs, nameof(plug));
        return Mean(FrameLayout.PowerOffset(plug));
    }

    /// <summary>Copies U1..U3, I1..In and P1..Pn out of the frame (NaN when the frame has no data).</summary>
    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyValuesTo(Span<float> voltsVolts, Span<float> currentsAmperes, Span<float> powersWatts)
    {
        var plugs = Plugs;
        if (voltsVolts.Length < FrameLayout.Phases || currentsAmperes.Length < plugs || powersWatts.Length < plugs)
        {
            throw new ArgumentException($"Destination spans must hold {FrameLayout.Phases} voltages and {plugs} plugs.");
        }

        double n = SampleCount;
        for (var phase = 0; phase < FrameLayout.Phases; phase++)
        {
            voltsVolts[phase] = Rms(FrameLayout.VoltageOffset + (phase * 4), n);
        }

        // Walk module by module: within a module the 6 Σi² come first, then the 6 Σp.
        var offset = FrameLayout.ModulesOffset;
        for (var module = 0; module < plugs / FrameLayout.PlugsPerModule; module++)
        {
            var first = module * FrameLayout.PlugsPerModule;
            for (var k = 0; k < FrameLayout.PlugsPerModule; k++)
            {
                currentsAmperes[first + k] = Rms(offset + (k * 4), n);
                powersWatts[first + k] = Mean(offset + ((FrameLayout.PlugsPerModule + k) * 4), n);
            }

            offset += FrameLayout.ModuleLength;
        }
    }

    private float Rms(int offset) => Rms(offset, SampleCount);

    private float Mean(int offset) => Mean(offset, SampleCount);

    private float Rms(int offset, double n) =>
        n == 0 ? float.NaN : (float)Math.Sqrt(BinaryPrimitives.ReadSingleLittleEndian(_payload[offset..]) / n);

    private float Mean(int offset, double n) =>
        n == 0 ? float.NaN : (float)(BinaryPrimitives.ReadSingleLittleEndian(_payload[offset..]) / n);
}
