namespace Fleet.Storage.Export;

/// <summary>
/// Consecutive stored frames of one box, in time order, as column arrays: frame k's voltages
/// at <c>3 * k + phase</c>, its plug p (0-based) at <c>k * Plugs + p</c>, as they are stored.
/// Values of frames that are not valid (n = 0) carry no data.
/// </summary>
public sealed class SampleChunk
{
    public SampleChunk(int plugs, long[] timesUnixMicroseconds, int[] frameIds, bool[] valid, float[] voltagesVolts, float[] currentsAmperes, float[] powersWatts)
    {
        Plugs = plugs;
        TimesUnixMicroseconds = timesUnixMicroseconds;
        FrameIds = frameIds;
        Valid = valid;
        VoltagesVolts = voltagesVolts;
        CurrentsAmperes = currentsAmperes;
        PowersWatts = powersWatts;
    }

    public int Plugs { get; }

    public int Count => TimesUnixMicroseconds.Length;

    public long[] TimesUnixMicroseconds { get; }

    public int[] FrameIds { get; }

    public bool[] Valid { get; }

    public float[] VoltagesVolts { get; }

    public float[] CurrentsAmperes { get; }

    public float[] PowersWatts { get; }
}
