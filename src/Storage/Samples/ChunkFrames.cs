using Fleet.OmegaWatt.Protocol;

namespace Fleet.Storage.Samples;

/// <summary>
/// Frames decoded from raw chunks, appended chunk after chunk into arrays that grow: what readers
/// of raw frames (energy edges, series, export) fill from <see cref="ChunkCodec"/>. Laid out as
/// <see cref="FrameColumns"/>: frame major, voltages at 3k + phase, plug p at k × Plugs + p.
/// </summary>
public sealed class ChunkFrames
{
    public ChunkFrames(int plugs, int capacity = FrameLayout.FramesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plugs);
        Plugs = plugs;
        Resize(Math.Max(1, capacity));
    }

    public int Plugs { get; }

    /// <summary>Frames held: the arrays are longer, so use this bound, never their length.</summary>
    public int Count { get; private set; }

    public long[] TimesUnixMicroseconds { get; private set; } = [];

    public int[] FrameIds { get; private set; } = [];

    public bool[] Valid { get; private set; } = [];

    public float[] VoltagesVolts { get; private set; } = [];

    public float[] CurrentsAmperes { get; private set; } = [];

    public float[] PowersWatts { get; private set; } = [];

    /// <summary>Appends one stored chunk's frames.</summary>
    public void Append(ReadOnlySpan<byte> data, long firstUnixMicroseconds, int firstFrameId, int count)
    {
        if (Count + count > TimesUnixMicroseconds.Length)
        {
            Resize(Math.Max(Count + count, 2 * TimesUnixMicroseconds.Length));
        }

        ChunkCodec.Decode(data, firstUnixMicroseconds, firstFrameId, count, Plugs, this, Count);
        Count += count;
    }

    /// <summary>Forgets the frames held, keeping the arrays.</summary>
    public void Clear() => Count = 0;

    /// <summary>The frames held, as columns of their own (copied).</summary>
    public FrameColumns ToColumns() => new(
        Plugs,
        TimesUnixMicroseconds[..Count],
        FrameIds[..Count],
        Valid[..Count],
        VoltagesVolts[..(FrameLayout.Phases * Count)],
        CurrentsAmperes[..(Plugs * Count)],
        PowersWatts[..(Plugs * Count)]);

    private void Resize(int frames)
    {
        var times = TimesUnixMicroseconds;
        Array.Resize(ref times, frames);
        TimesUnixMicroseconds = times;
        var ids = FrameIds;
        Array.Resize(ref ids, frames);
        FrameIds = ids;
        var valid = Valid;
        Array.Resize(ref valid, frames);
        Valid = valid;
        var voltages = VoltagesVolts;
        Array.Resize(ref voltages, FrameLayout.Phases * frames);
        VoltagesVolts = voltages;
        var currents = CurrentsAmperes;
        Array.Resize(ref currents, Plugs * frames);
        CurrentsAmperes = currents;
        var powers = PowersWatts;
        Array.Resize(ref powers, Plugs * frames);
        PowersWatts = powers;
    }
}
