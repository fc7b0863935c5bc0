namespace Fleet.OmegaWatt.Simulation;

/// <summary>An idle machine: the same power all the time.</summary>
public sealed record ConstantLoad(double Watts) : ILoadProfile
{
    public double PowerWatts(double seconds) => Watts;
}
