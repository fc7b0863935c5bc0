namespace Fleet.AgentHost.Components;

/// <summary>Where the runner looks for component meters, and which it must not use.</summary>
public sealed record ComponentMeterOptions
{
    /// <summary>The directory holding <c>sys/class/powercap</c>: "/" on a real machine.</summary>
    public string SysfsRoot { get; init; } = "/";

    public NvidiaSmiOptions NvidiaSmi { get; init; } = new();

    public bool DisableRapl { get; init; }

    public bool DisableGpu { get; init; }

    /// <summary>Skip NVML's energy counter and sample nvidia-smi even when NVML would do.</summary>
    public bool DisableNvml { get; init; }
}
