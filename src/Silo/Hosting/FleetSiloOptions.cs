using System.ComponentModel.DataAnnotations;

namespace Fleet.Silo.Hosting;

/// <summary>The silo's settings, section <c>Fleet</c> (environment: <c>Fleet__ClusterId</c> …).</summary>
public sealed class FleetSiloOptions
{
    public const string Section = "Fleet";

    /// <summary><c>Localhost</c> for one silo on a developer machine, <c>AdoNet</c> for a cluster on PostgreSQL.</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ClusterId { get; set; } = "fleet";

    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ServiceId { get; set; } = "fleet";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Days of raw 10 ms frames kept (whole UTC days); older days are dropped while the rollups
    /// stay, and energy over them is answered from the rollups. Unset: raw frames are kept for ever.
    /// </summary>
    [Range(1, 36_500)]
    public int? RawRetentionDays { get; set; }

    /// <summary>
    /// The bootstrap admin token of the HTTP API (from the environment, never the repository): it
    /// creates the other tokens (<c>fleet tokens create</c>). Without it the silo is in development
    /// mode: loopback clients are served as admin without a token, others are refused.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>A token that may read <c>/metrics</c> and nothing else (Prometheus), from the environment.</summary>
    public string? MetricsToken { get; set; }

    /// <summary>Serve <c>/metrics</c> without a token (a scraper on a trusted network).</summary>
    public bool OpenMetrics { get; set; }

    /// <summary>Serve <c>/openapi/v1.json</c> without a token.</summary>
    public bool OpenOpenApi { get; set; }

    /// <summary>Development mode: no bootstrap token, so loopback clients are trusted.</summary>
    public bool IsDevelopment => string.IsNullOrEmpty(ApiToken);
}
