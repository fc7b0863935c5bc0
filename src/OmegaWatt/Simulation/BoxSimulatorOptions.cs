namespace Fleet.OmegaWatt.Simulation;

/// <summary>How a simulated box behaves.</summary>
public sealed record BoxSimulatorOptions
{
    /// <summary>Plugs per frame: 6 per module, up to 48.</summary>
    public int Plugs { get; init; } = 6;

    /// <summary>Load per socket (index 0 = socket 1); a missing or null entry is an empty socket reading 0 W.</summary>
    public IReadOnlyList<ILoadProfile?> Loads { get; init; } = [];

    public ushort FirstFrameId { get; init; }

    /// <summary>Samples aggregated per frame: 156 at 15.6 kHz and 100 frames/s.</summary>
    public uint SamplesPerFrame { get; init; } = 156;

    public double VoltageVolts { get; init; } = 230.0;

    /// <summary>Standard deviation of the Gaussian noise added to each socket's power (0 = exact profile).</summary>
    public double PowerNoiseWatts { get; init; }

    /// <summary>Seed of the noise, so a simulated capture is reproducible.</summary>
    public int Seed { get; init; } = 1;
}
