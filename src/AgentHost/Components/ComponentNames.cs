namespace Fleet.AgentHost.Components;

/// <summary>The component names samples and statuses carry; the cluster reports per name.</summary>
public static class ComponentNames
{
    /// <summary>CPU packages plus DRAM, from Intel/AMD RAPL counters.</summary>
    public const string Rapl = "rapl";

    /// <summary>Every NVIDIA GPU of the machine, summed.</summary>
    public const string Gpu = "gpu";
}
