namespace Fleet.OmegaWatt.Simulation;

/// <summary>
/// A simulated machine whose power follows a real (or scripted) CPU load: idle power plus a
/// fixed cost per busy core. Wired to a runner's <see cref="LoadSignal"/> file it lets
/// <c>fleet sockets identify</c> and experiments run end to end without hardware; wired to a
/// function it gives tests a machine whose load they control in virtual time.
/// </summary>
public sealed class WiredLoad : ILoadProfile
{
    /// <summary>How often, in simulated seconds, the signal file is read again: it changes about every 100 ms, a box frame is 10 ms.</summary>
    public const double FileReadIntervalSeconds = 0.05;

    private readonly Func<double, double> _coresAt;

    /// <param name="coresAt">The cores busy at a time (seconds since the simulation started).</param>
    /// <param name="idleWatts">Power with no core busy.</param>
    /// <param name="wattsPerCore">Power added by each busy core.</param>
    public WiredLoad(Func<double, double> coresAt, double idleWatts, double wattsPerCore)
    {
        ArgumentNullException.ThrowIfNull(coresAt);
        ArgumentOutOfRangeException.ThrowIfNegative(idleWatts);
        ArgumentOutOfRangeException.ThrowIfNegative(wattsPerCore);
        _coresAt = coresAt;
        IdleWatts = idleWatts;
        WattsPerCore = wattsPerCore;
    }

    public double IdleWatts { get; }

    public double WattsPerCore { get; }

    /// <summary>A machine driven by a runner's load signal file, read at most every <see cref="FileReadIntervalSeconds"/> of simulated time.</summary>
    public static WiredLoad FromFile(string path, double idleWatts, double wattsPerCore)
    {
        var signal = new LoadSignal(path);
        var readAt = double.NegativeInfinity;
        double cores = 0;
        return new WiredLoad(
            seconds =>
            {
                // Frames come in time order; a jump back (a new simulation) reads again too.
                if (seconds >= readAt + FileReadIntervalSeconds || seconds < readAt)
                {
                    cores = signal.ReadCores();
                    readAt = seconds;
                }

                return cores;
            },
            idleWatts,
            wattsPerCore);
    }

    public double PowerWatts(double seconds) => IdleWatts + (WattsPerCore * Math.Max(0, _coresAt(seconds)));
}
