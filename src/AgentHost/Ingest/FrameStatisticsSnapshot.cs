namespace Fleet.AgentHost.Ingest;

/// <summary>A consistent copy of <see cref="FrameStatistics"/> at one moment.</summary>
public sealed record FrameStatisticsSnapshot(
    long Frames,
    ushort LastFrameId,
    IReadOnlyList<double> LastPowerWatts,
    IReadOnlyList<double> EnergyJoules);
