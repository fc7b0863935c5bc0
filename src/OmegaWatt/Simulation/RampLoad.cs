namespace Fleet.OmegaWatt.Simulation;

/// <summary>A load that climbs linearly (a GPU job warming up), capped at <paramref name="MaxWatts"/>.</summary>
public sealed record RampLoad(double StartWatts, double WattsPerSecond, double MaxWatts = double.PositiveInfinity) : ILoadProfile
{
    public double PowerWatts(double seconds) => Math.Min(StartWatts + (WattsPerSecond * seconds), MaxWatts);
}
