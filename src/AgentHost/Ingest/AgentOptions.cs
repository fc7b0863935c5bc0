namespace Fleet.AgentHost.Ingest;

/// <summary>What one agent process reads and where it sends it.</summary>
public sealed record AgentOptions
{
    /// <summary>The box's id in the cluster (its meter grain key).</summary>
    public required string BoxId { get; init; }

    /// <summary>UTC time of the first frame for replays; null for live sources (clock model on receipt times).</summary>
    public DateTimeOffset? Start { get; init; }

    public required string SpoolDirectory { get; init; }

    public long SpoolMaxBytes { get; init; } = 1L << 30;

    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>This host's name, reported with every batch (which agent feeds which box): the name in its lab certificate when it has one.</summary>
    public string AgentHost { get; init; } = Environment.MachineName;

    /// <summary>The agent's lab certificate with its key, to sign what it writes; null in development without TLS.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }
}
