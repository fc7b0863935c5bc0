namespace Fleet.Storage.Energy;

/// <summary>
/// Energy over a window, exactly Σ P × 10 ms over the valid frames inside it, with how much of
/// the window the frames cover.
/// </summary>
/// <param name="Joules">Σ P × 10 ms over the valid frames in the window.</param>
/// <param name="Frames">Valid frames in the window.</param>
/// <param name="FramesExpected">Frames a box sends in the window (100 per second per socket).</param>
/// <param name="PeakWatts">Highest frame power in the window, null without frames.</param>
/// <param name="Seconds">Length of the window.</param>
public sealed record SocketEnergy(double Joules, long Frames, long FramesExpected, double? PeakWatts, double Seconds)
{
    public static readonly SocketEnergy None = new(0, 0, 0, null, 0);

    /// <summary>Fraction of the expected 10 ms frames present (1 = nothing missing).</summary>
    public double Coverage => FramesExpected == 0 ? 0 : Math.Min(1.0, (double)Frames / FramesExpected);

    /// <summary>
    /// Mean power over the window, missing frames counted at the mean of those present. For a
    /// machine on two sockets this is the sum of both supplies, not the mean of one.
    /// </summary>
    public double? MeanWatts => Frames == 0 || Seconds <= 0 ? null : InterpolatedJoules / Seconds;

    /// <summary>
    /// The energy with missing frames filled in at the mean power of the frames present, for
    /// reports that must not silently under-count a lossy window.
    /// </summary>
    public double InterpolatedJoules => Frames == 0 ? 0 : Joules * Math.Max(1.0, (double)FramesExpected / Frames);

    public SocketEnergy Add(SocketEnergy other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new SocketEnergy(
            Joules + other.Joules,
            Frames + other.Frames,
            FramesExpected + other.FramesExpected,
            PeakWatts is null ? other.PeakWatts : other.PeakWatts is null ? PeakWatts : Math.Max(PeakWatts.Value, other.PeakWatts.Value),
            Math.Max(Seconds, other.Seconds));
    }
}
