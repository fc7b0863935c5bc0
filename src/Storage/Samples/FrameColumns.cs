namespace Fleet.Storage.Samples;

/// <summary>
/// Consecutive frames of one box as column arrays, frame major: frame k's voltages at
/// <c>3 * k + phase</c>, its plug p (0-based) at <c>k * Plugs + p</c>, as sample chunks store
/// them. Values of frames that are not valid (n = 0) carry no data. Times strictly increase.
/// </summary>
public class FrameColumns
{
    public FrameColumns(int plugs, long[] timesUnixMicroseconds, int[] frameIds, bool[] valid, float[] voltagesVolts, float[] currentsAmperes, float[] powersWatts)
    {
        ArgumentNullException.ThrowIfNull(timesUnixMicroseconds);
        ArgumentNullException.ThrowIfNull(frameIds);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(voltagesVolts);
        ArgumentNullException.ThrowIfNull(currentsAmperes);
        ArgumentNullException.ThrowIfNull(powersWatts);
        var count = timesUnixMicroseconds.Length;
        if (frameIds.Length != count || valid.Length != count || voltagesVolts.Length != 3 * count
            || currentsAmperes.Length != plugs * count || powersWatts.Length != plugs * count)
        {
            throw new ArgumentException($"A block of {count} frames of {plugs} plugs needs {count} ids and flags, {3 * count} voltages and {plugs * count} currents and powers.");
        }

        for (var k = 1; k < count; k++)
        {
            if (timesUnixMicroseconds[k] <= timesUnixMicroseconds[k - 1])
            {
                throw new ArgumentException($"Frame times must increase; frame {k} is not after frame {k - 1}.", nameof(timesUnixMicroseconds));
            }
        }

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
