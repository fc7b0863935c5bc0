namespace Fleet.OmegaWatt.Simulation;

/// <summary>
/// The simulated box of `fleet demo` and `Fleet.AgentHost --simulate`: three machines with
/// recognisable patterns on sockets 1–3, so a demo's energy can be checked against the profile.
/// </summary>
public static class DemoBox
{
    public static BoxSimulatorOptions Options => new()
    {
        Plugs = 6,
        Loads = [new ConstantLoad(95), new SquareWaveLoad(110, 270, PeriodSeconds: 4), new RampLoad(180, 2, MaxWatts: 320)],
        PowerNoiseWatts = 2.5,
    };

    /// <summary>
    /// The energy the profile of <paramref name="socket"/> (1-based) puts into the frames whose
    /// time since the first frame lies in [fromSeconds, toSeconds): Σ P(k × 10 ms) × 10 ms, the
    /// same sum the box reports, without its noise.
    /// </summary>
    public static double ProfileJoules(int socket, double fromSeconds, double toSeconds)
    {
        var load = socket <= Options.Loads.Count ? Options.Loads[socket - 1] : null;
        if (load is null)
        {
            return 0;
        }

        var first = (long)Math.Ceiling(Math.Max(0, fromSeconds) * 100 - 1e-9);
        var last = (long)Math.Ceiling(toSeconds * 100 - 1e-9);
        double joules = 0;
        for (var k = first; k < last; k++)
        {
            joules += load.PowerWatts(k * 0.01) * 0.01;
        }

        return joules;
    }
}
