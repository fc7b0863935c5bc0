using System.Globalization;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.Storage;

/// <summary>The frame period as SQL literals, derived from <see cref="FrameLayout"/> so queries never spell 10 ms themselves.</summary>
internal static class FramePeriodSql
{
    /// <summary>The period in seconds, as a double precision literal (energy = Σ P × this).</summary>
    public static readonly string Seconds = FrameLayout.FramePeriodSeconds.ToString("R", CultureInfo.InvariantCulture) + "::float8";

    /// <summary>The period as an interval literal (the 10 ms grid frames are aligned to).</summary>
    public static readonly string Interval = string.Create(CultureInfo.InvariantCulture, $"'{FrameLayout.FramePeriodMicroseconds} microseconds'::interval");
}
