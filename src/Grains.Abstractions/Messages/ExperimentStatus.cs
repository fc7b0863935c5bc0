namespace Fleet.Grains.Abstractions.Messages;

[GenerateSerializer, Alias("fleet.ExperimentStatus")]
public enum ExperimentStatus
{
    Submitted = 0,
    Running = 1,
    Finished = 2,
    Failed = 3,
    Cancelled = 4,
}
