namespace Fleet.Grains.Machines;

/// <summary>An experiment queued for a machine, and when it last asked (a waiter that stopped asking is dropped).</summary>
[GenerateSerializer, Alias("fleet.LeaseWaiter")]
public sealed class LeaseWaiter
{
    [Id(0)]
    public string ExperimentId { get; set; } = string.Empty;

    [Id(1)]
    public DateTimeOffset LastAskedAt { get; set; }
}
