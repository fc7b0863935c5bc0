namespace Fleet.Grains.Runners;

/// <summary>
/// What a runner grain keeps durably: which runner process holds the machine and from which
/// host, so that after a silo restart the runner that was there gets one heartbeat timeout to
/// come back before another process may take the machine. Sessions and jobs stay in memory.
/// </summary>
[GenerateSerializer, Alias("fleet.RunnerState")]
public sealed class RunnerState
{
    [Id(0)]
    public string? Instance { get; set; }

    [Id(1)]
    public string? Host { get; set; }
}
