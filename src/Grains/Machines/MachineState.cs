namespace Fleet.Grains.Machines;

/// <summary>What a machine grain keeps durably: which experiment leases it. Assignments live in SQL.</summary>
[GenerateSerializer, Alias("fleet.MachineState")]
public sealed class MachineState
{
    [Id(0)]
    public string? LeaseHolder { get; set; }
}
