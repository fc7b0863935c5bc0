namespace Fleet.AgentHost.Components;

/// <summary>Finds what this machine can measure besides the wall: one meter per component, unavailable ones included.</summary>
public static class ComponentMeters
{
    public const string DisabledReason = "disabled in the runner's options";

    /// <summary>
    /// RAPL from sysfs; GPUs from NVML's energy counter, else from nvidia-smi's sampled power.
    /// Always one meter for "rapl" and one for "gpu" (in that order), so a hello and a report
    /// can say why a component is missing. Runs nvidia-smi once when NVML does not serve: up to
    /// <see cref="NvidiaSmiOptions.StartTimeout"/> on a machine with a broken driver.
    /// </summary>
    public static IReadOnlyList<IComponentMeter> Discover(ComponentMeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IComponentMeter rapl = options.DisableRapl
            ? new UnavailableMeter(ComponentNames.Rapl, DisabledReason)
            : new RaplMeter(options.SysfsRoot);
        return [rapl, DiscoverGpu(options)];
    }

    private static IComponentMeter DiscoverGpu(ComponentMeterOptions options)
    {
        if (options.DisableGpu)
        {
            return new UnavailableMeter(ComponentNames.Gpu, DisabledReason);
        }

        string? nvmlReason = null;
        if (!options.DisableNvml)
        {
            if (NvmlEnergyMeter.TryCreate(out var nvml, out var reason))
            {
                return nvml;
            }

            nvmlReason = reason;
        }

        var smi = NvidiaSmiMeter.Create(options.NvidiaSmi);
        if (smi.Status.Available || (smi.Found && nvmlReason is null))
        {
            return smi;
        }

        var status = smi.Status;
        var why = (smi.Found, nvmlReason) switch
        {
            (false, NvmlEnergyMeter.LibraryMissingReason) =>
                $"{NvidiaSmiMeter.NotFoundReason} and {NvmlEnergyMeter.LibraryMissingReason}: no NVIDIA driver here, or nvidia-smi is not on the runner's PATH",
            (false, null) => $"{NvidiaSmiMeter.NotFoundReason} (NVML disabled in the runner's options)",
            _ => $"{status.Reason}; NVML: {nvmlReason}",
        };
        return new UnavailableMeter(ComponentNames.Gpu, why);
    }
}
