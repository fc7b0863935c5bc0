using Fleet.AgentHost.Components;

namespace Fleet.AgentHost.Tests.Components;

public sealed class RaplMeterTests : IDisposable
{
    private const ulong PackageRange = 262_143_328_850;
    private const ulong DramRange = 65_712_999_613;
    private readonly FakeSysfs _sysfs = new();

    public void Dispose() => _sysfs.Dispose();

    [Fact]
    public async Task ReadJoules_TwoPackagesDramCorePsysAndWraps_SumsPackagesAndDramOnly()
    {
        _sysfs.AddZone("intel-rapl:0", "package-0", 262_000_000_000, PackageRange);
        _sysfs.AddZone("intel-rapl:0:0", "core", 5_000_000, PackageRange);
        _sysfs.AddZone("intel-rapl:0:1", "dram", 65_700_000_000, DramRange);
        _sysfs.AddZone("intel-rapl:1", "package-1", 1_000_000, PackageRange);
        _sysfs.AddZone("intel-rapl:2", "psys", 9_000_000, PackageRange);
        await using var meter = new RaplMeter(_sysfs.Root);
        await meter.StartAsync(CancellationToken.None);

        // package-0 +100 J, package-1 +50 J, dram +10 J; core and psys move a lot and must not count.
        _sysfs.SetEnergy("intel-rapl:0", 262_100_000_000);
        _sysfs.SetEnergy("intel-rapl:1", 51_000_000);
        _sysfs.SetEnergy("intel-rapl:0:1", 65_710_000_000);
        _sysfs.SetEnergy("intel-rapl:0:0", 900_000_000);
        _sysfs.SetEnergy("intel-rapl:2", 999_000_000);
        var first = meter.ReadJoules();

        // package-0 wraps: 262 143 328 850 − 262 100 000 000 + 16 671 150 = 60 000 000 µJ.
        // package-1: +30 J. dram wraps: 65 712 999 613 − 65 710 000 000 + 7 000 387 = 10 000 000 µJ.
        _sysfs.SetEnergy("intel-rapl:0", 16_671_150);
        _sysfs.SetEnergy("intel-rapl:1", 81_000_000);
        _sysfs.SetEnergy("intel-rapl:0:1", 7_000_387);
        var second = meter.ReadJoules();

        Assert.True(meter.Status.Available, meter.Status.Reason);
        Assert.Equal("RAPL package-0 + package-1 + dram (sysfs energy_uj)", meter.Status.Source);
        Assert.Equal(160.0, first, 9);
        Assert.Equal(260.0, second, 9);
    }

    [Fact]
    public void DeltaMicrojoules_CounterBelowPrevious_IsOneWrapAtTheRange()
    {
        Assert.Equal(500UL, RaplCounter.DeltaMicrojoules(1_000, 1_500, 10_000));
        Assert.Equal(1_500UL, RaplCounter.DeltaMicrojoules(9_500, 1_000, 10_000));
        Assert.Equal(0UL, RaplCounter.DeltaMicrojoules(7, 7, 10_000));
    }

    [Fact]
    public void Status_NoPowercapDirectory_UnavailableWithTheReason()
    {
        var meter = new RaplMeter(_sysfs.Root);

        Assert.False(meter.Status.Available);
        Assert.Equal("no RAPL on this machine (no /sys/class/powercap/intel-rapl*)", meter.Status.Reason);
        Assert.Throws<InvalidOperationException>(() => meter.ReadJoules());
    }

    [Fact]
    public void Status_OnlyPsysZone_UnavailableRatherThanDoubleCounting()
    {
        _sysfs.AddZone("intel-rapl:0", "psys", 1_000, PackageRange);

        var meter = new RaplMeter(_sysfs.Root);

        Assert.False(meter.Status.Available);
        Assert.Equal(RaplMeter.NoRaplReason, meter.Status.Reason);
    }

    [Fact]
    public async Task Status_EnergyUjNotReadable_UnavailableSayingRootOnlySince510AndHowToGrant()
    {
        _sysfs.AddZone("intel-rapl:0", "package-0", 1_000, PackageRange);
        // An injected reader, not chmod: as root (CI) a chmod 000 file still reads.
        static string DenyEnergy(string path) => path.EndsWith("energy_uj", StringComparison.Ordinal)
            ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
            : File.ReadAllText(path);

        var meter = new RaplMeter(_sysfs.Root, DenyEnergy);
        await meter.StartAsync(CancellationToken.None);

        Assert.False(meter.Status.Available);
        Assert.Contains("root only since Linux 5.10 (CVE-2020-8694)", meter.Status.Reason, StringComparison.Ordinal);
        Assert.Contains("chmod a+r", meter.Status.Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => meter.ReadJoules());
    }

    [Fact]
    public void Status_PackageWithoutDram_SaysSo()
    {
        _sysfs.AddZone("intel-rapl:0", "package-0", 1_000, PackageRange);
        _sysfs.AddZone("intel-rapl:0:0", "core", 1_000, PackageRange);

        var meter = new RaplMeter(_sysfs.Root);

        Assert.Equal("RAPL package-0, no dram domain (sysfs energy_uj)", meter.Status.Source);
    }
}
