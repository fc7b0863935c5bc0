namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// What a runner found for one component ("rapl", "gpu"): the source of its numbers (such as
/// "RAPL package-0 + package-1 + dram" or "nvidia-smi power.draw.instant every 100 ms") when
/// available, else why not ("no /sys/class/powercap/intel-rapl*", "permission denied …").
/// A missing component is reported as missing, never as 0 J.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ComponentStatus")]
public sealed record ComponentStatus(
    [property: Id(0)] string Component,
    [property: Id(1)] bool Available,
    [property: Id(2)] string Source,
    [property: Id(3)] string? Reason = null);
