namespace Fleet.OmegaWatt.Simulation;

/// <summary>The power a simulated machine draws over time.</summary>
public interface ILoadProfile
{
    /// <summary>Mean active power in watts at <paramref name="seconds"/> after the simulation started.</summary>
    double PowerWatts(double seconds);
}
