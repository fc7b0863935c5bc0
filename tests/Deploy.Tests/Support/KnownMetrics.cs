namespace Fleet.Deploy.Tests.Support;

/// <summary>
/// The metric names the silo publishes (issue 6, architecture.md "Metrics"), as Prometheus sees them
/// after the OpenTelemetry exporter's renaming. Until a test scrapes a real silo, dashboards and
/// alert rules are checked against this list.
/// </summary>
public static class KnownMetrics
{
    /// <summary>Fleet's own series, exactly as exported.</summary>
    public static readonly IReadOnlySet<string> Fleet = new HashSet<string>(StringComparer.Ordinal)
    {
        "fleet_socket_power_watts",
        "fleet_socket_energy_joules_total",
        "fleet_socket_current_amperes",
        "fleet_phase_voltage_volts",
        "fleet_machine_power_watts",
        "fleet_frames_total",
        "fleet_frames_invalid_total",
        "fleet_frames_lost_total",
        "fleet_last_frame_timestamp_seconds",
        "fleet_agent_spool_bytes",
        "fleet_agent_serial_reconnects_total",
        "fleet_agent_clock_offset_seconds",
        "fleet_agent_batches_quarantined",
        "fleet_batches_rejected_total",
    };

    /// <summary>Fleet's histograms: only their _bucket, _sum and _count series exist.</summary>
    public static readonly IReadOnlySet<string> FleetHistograms = new HashSet<string>(StringComparer.Ordinal)
    {
        "fleet_ingest_lag_seconds",
    };

    /// <summary>Orleans' meters, .NET runtime, process, ASP.NET Core and Kestrel instrumentation.</summary>
    public static readonly IReadOnlyList<string> LibraryPrefixes = ["orleans_", "process_", "dotnet_", "http_server_", "kestrel_"];

    /// <summary>Series Prometheus itself writes for every scrape target.</summary>
    public static readonly IReadOnlySet<string> Synthetic = new HashSet<string>(StringComparer.Ordinal)
    {
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
    };

    public static bool IsKnown(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Fleet.Contains(name)
            || Synthetic.Contains(name)
            || FleetHistograms.Any(h => name == h + "_bucket" || name == h + "_sum" || name == h + "_count")
            || LibraryPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length);
    }
}
