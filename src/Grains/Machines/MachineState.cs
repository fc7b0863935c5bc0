namespace Fleet.Grains.Machines;

/// <summary>
/// What a machine grain keeps durably: which experiment leases it, and the submitted experiments
/// waiting for it in order, each with when it last asked. Assignments live in SQL.
/// </summary>
[GenerateSerializer, Alias("fleet.MachineState")]
public sealed class MachineState
{
    [Id(0)]
    public string? LeaseHolder { get; set; }

    [Id(1)]
    public List<LeaseWaiter> Waiting { get; set; } = [];
}
