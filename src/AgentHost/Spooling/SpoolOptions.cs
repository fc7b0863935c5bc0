namespace Fleet.AgentHost.Spooling;

/// <summary>Where and how much the agent spools while the cluster has not acknowledged its batches.</summary>
public sealed record SpoolOptions
{
    public required string Directory { get; init; }

    /// <summary>Disk budget; past it new batches are refused (and counted, loudly) instead of filling the disk.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>Batches per segment file (about a minute at one batch per second): a segment is deleted once all are acknowledged.</summary>
    public int BatchesPerSegment { get; init; } = 60;

    /// <summary>Share of the budget at which the agent starts warning.</summary>
    public double WarnFraction { get; init; } = 0.8;
}
