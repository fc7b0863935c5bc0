namespace Fleet.Grains.Abstractions.Messages;

[GenerateSerializer, Alias("fleet.ExperimentStatus")]
public enum ExperimentStatus
{
    Submitted = 0,
    Running = 1,
    Finished = 2,
    Failed = 3,
    Cancelled = 4,

    /// <summary>Submitted with a command, waiting for its machines' leases.</summary>
    Queued = 5,

    /// <summary>Holding its machines and measuring their idle baseline before the command starts.</summary>
    Baseline = 6,
}
