namespace Fleet.OmegaWatt.Simulation;

/// <summary>Bursts of work: <paramref name="HighWatts"/> for the first <paramref name="DutyCycle"/> of each period, else <paramref name="LowWatts"/>.</summary>
public sealed record SquareWaveLoad(double LowWatts, double HighWatts, double PeriodSeconds, double DutyCycle = 0.5) : ILoadProfile
{
    public double PowerWatts(double seconds)
    {
        var phase = seconds / PeriodSeconds;
        return phase - Math.Floor(phase) < DutyCycle ? HighWatts : LowWatts;
    }
}
