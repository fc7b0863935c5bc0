using System.ComponentModel.DataAnnotations;

namespace Fleet.Grains.Runners;

/// <summary>How often runners heartbeat and how long silence means a runner is gone (configuration section <c>Fleet:Runners</c>).</summary>
public sealed class RunnerOptions
{
    public const string Section = "Fleet:Runners";

    /// <summary>Seconds between a runner's heartbeats; its jobs arrive with their answers, so this is also the start latency.</summary>
    [Range(0.1, 60)]
    public double HeartbeatSeconds { get; set; } = 1;

    /// <summary>
    /// Seconds without a heartbeat after which a runner is gone: its running experiment fails with
    /// the reason and releases its machines. Long enough to ride out a silo restart.
    /// </summary>
    [Range(1, 3600)]
    public double HeartbeatTimeoutSeconds { get; set; } = 20;

    public TimeSpan HeartbeatTimeout => TimeSpan.FromSeconds(HeartbeatTimeoutSeconds);
}
