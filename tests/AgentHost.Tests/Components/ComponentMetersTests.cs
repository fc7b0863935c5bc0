using System.Runtime.InteropServices;
using Fleet.AgentHost.Components;

namespace Fleet.AgentHost.Tests.Components;

public sealed class ComponentMetersTests : IDisposable
{
    private readonly FakeSysfs _sysfs = new();
    private readonly string _emptyPath = Directory.CreateTempSubdirectory("fleet-empty-path-").FullName;

    public void Dispose()
    {
        _sysfs.Dispose();
        Directory.Delete(_emptyPath);
    }

    [Fact]
    public async Task Discover_RaplAndNvidiaSmi_OneAvailableMeterPerComponent()
    {
        _sysfs.AddZone("intel-rapl:0", "package-0", 1_000, 262_143_328_850);
        using var smi = new FakeNvidiaSmi(["42.00"]);

        var meters = ComponentMeters.Discover(new ComponentMeterOptions
        {
            SysfsRoot = _sysfs.Root,
            DisableNvml = true,
            NvidiaSmi = new NvidiaSmiOptions { SearchPath = smi.SearchPath },
        });

        try
        {
            Assert.Equal(["rapl", "gpu"], meters.Select(m => m.Component));
            Assert.IsType<RaplMeter>(meters[0]);
            Assert.IsType<NvidiaSmiMeter>(meters[1]);
            Assert.All(meters, m => Assert.True(m.Status.Available, m.Status.Reason));
        }
        finally
        {
            foreach (var meter in meters)
            {
                await meter.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Discover_NothingHere_BothUnavailableWithReasons()
    {
        var meters = ComponentMeters.Discover(new ComponentMeterOptions
        {
            SysfsRoot = _sysfs.Root,
            NvidiaSmi = new NvidiaSmiOptions { SearchPath = _emptyPath },
        });

        Assert.Equal(["rapl", "gpu"], meters.Select(m => m.Component));
        Assert.Equal(RaplMeter.NoRaplReason, meters[0].Status.Reason);
        if (NativeLibrary.TryLoad("libnvidia-ml.so.1", out var nvml))
        {
            // A machine with the NVIDIA driver: NVML serves (or says why not) without nvidia-smi.
            NativeLibrary.Free(nvml);
            Assert.True(meters[1].Status.Available || meters[1].Status.Reason!.Contains("NVML", StringComparison.Ordinal), meters[1].Status.Reason);
        }
        else
        {
            Assert.False(meters[1].Status.Available);
            Assert.StartsWith("no nvidia-smi on PATH and no libnvidia-ml.so.1", meters[1].Status.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Discover_Disabled_UnavailableSayingSo()
    {
        _sysfs.AddZone("intel-rapl:0", "package-0", 1_000, 262_143_328_850);

        var meters = ComponentMeters.Discover(new ComponentMeterOptions { SysfsRoot = _sysfs.Root, DisableRapl = true, DisableGpu = true });

        Assert.All(meters, m => Assert.Equal((false, ComponentMeters.DisabledReason), (m.Status.Available, m.Status.Reason)));
    }
}
