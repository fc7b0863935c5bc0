using System.Runtime.CompilerServices;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>Reusable arrays for one frame's U1..U3, I1..In and P1..Pn, for a file of one plug count.</summary>
internal sealed class FrameValues
{
    public FrameValues(int plugs)
    {
        if (!FrameLayout.IsValidPlugCount(plugs))
        {
            throw new ArgumentOutOfRangeException(nameof(plugs), plugs, "Plug count must be a multiple of 6 up to 48.");
        }

        Plugs = plugs;
        Currents = new float[plugs];
        Powers = new float[plugs];
    }

    public int Plugs { get; }

    public float[] Volts { get; } = new float[FrameLayout.Phases];

    public float[] Currents { get; }

    public float[] Powers { get; }

    /// <summary>Copies the frame's values in; a frame of another plug count cannot share the file's header.</summary>
    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Load(in Frame frame)
    {
        if (frame.Plugs != Plugs)
        {
            throw new PlugCountChangedException(Plugs, frame.Plugs, frame.FrameId);
        }

        if (frame.IsValid)
        {
            frame.CopyValuesTo(Volts, Currents, Powers);
        }
    }
}
