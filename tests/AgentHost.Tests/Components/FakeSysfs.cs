using System.Globalization;

namespace Fleet.AgentHost.Tests.Components;

/// <summary>
/// A powercap tree under a temporary root, laid out like the kernel's: packages in
/// sys/class/powercap, subzones nested in their package and linked flat beside them.
/// Counters are rewritten between reads.
/// </summary>
internal sealed class FakeSysfs : IDisposable
{
    public FakeSysfs() => Root = Directory.CreateTempSubdirectory("fleet-sysfs-").FullName;

    public string Root { get; }

    private string Powercap => Path.Combine(Root, "sys", "class", "powercap");

    /// <summary>Adds zone <paramref name="zone"/> ("intel-rapl:0" or "intel-rapl:0:0") named <paramref name="name"/>.</summary>
    public void AddZone(string zone, string name, ulong energyMicrojoules, ulong maxRangeMicrojoules)
    {
        var directory = ZoneDirectory(zone);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "name"), name + "\n");
        File.WriteAllText(Path.Combine(directory, "max_energy_range_uj"), maxRangeMicrojoules.ToString(CultureInfo.InvariantCulture) + "\n");
        SetEnergy(zone, energyMicrojoules);
        var flat = Path.Combine(Powercap, zone);
        if (flat != directory)
        {
            File.CreateSymbolicLink(flat, directory);
        }
    }

    /// <summary>Sets the counter atomically (a kernel file never reads half written; a runner in another process reads it meanwhile).</summary>
    public void SetEnergy(string zone, ulong energyMicrojoules)
    {
        var path = Path.Combine(ZoneDirectory(zone), "energy_uj");
        File.WriteAllText(path + ".new", energyMicrojoules.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(path + ".new", path, overwrite: true);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string ZoneDirectory(string zone)
    {
        var parts = zone.Split(':');
        return parts.Length == 3 ? Path.Combine(Powercap, $"{parts[0]}:{parts[1]}", zone) : Path.Combine(Powercap, zone);
    }
}
