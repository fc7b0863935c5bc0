using System.Runtime.InteropServices;

namespace Fleet.AgentHost.Components;

/// <summary>The few NVML calls the GPU meter needs (nvml.h); every call returns an nvmlReturn_t, 0 on success.</summary>
internal static partial class NvmlNative
{
    public const string Library = "libnvidia-ml.so.1";

    public const int Success = 0;

    public const int NotSupported = 3;

    [LibraryImport(Library, EntryPoint = "nvmlInit_v2")]
    public static partial int Init();

    [LibraryImport(Library, EntryPoint = "nvmlShutdown")]
    public static partial int Shutdown();

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetCount_v2")]
    public static partial int DeviceGetCount(out uint count);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    public static partial int DeviceGetHandleByIndex(uint index, out nint device);

    /// <summary>Millijoules since the driver was last loaded; Volta and newer.</summary>
    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetTotalEnergyConsumption")]
    public static partial int DeviceGetTotalEnergyConsumption(nint device, out ulong millijoules);
}
