namespace Fleet.Grains.Machines;

/// <summary>
/// What a machine grain keeps durably: which experiment (or brief job) leases it, and the
/// submitted experiments waiting for it in order, each with when it last asked. Assignments live in SQL.
/// </summary>
[GenerateSerializer, Alias("fleet.MachineState")]
public sealed class MachineState
{
    [Id(0)]
    public string? LeaseHolder { get; set; }

    [Id(1)]
    public List<LeaseWaiter> Waiting { get; set; } = [];

    /// <summary>When a brief lease (not an experiment's) lapses by itself; null for an experiment's, which it releases.</summary>
    [Id(2)]
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}
