using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Components;

/// <summary>
/// CPU packages plus DRAM from the kernel's powercap RAPL zones
/// (<c>/sys/class/powercap/intel-rapl:*</c>, also used for AMD since Zen): every
/// <c>package-N</c> zone, plus its <c>dram</c> subzone, which package energy does not include.
/// Counters are read on demand, so the caller's reads (at least one a second) are what keeps wraps
/// countable.
/// </summary>
public sealed partial class RaplMeter : IComponentMeter
{
    public const string NoRaplReason = "no RAPL on this machine (no /sys/class/powercap/intel-rapl*)";

    /// <summary>Why a runner that is not root reads no RAPL on a current kernel, and what to do about it.</summary>
    public const string PermissionReason =
        "permission denied reading /sys/class/powercap/intel-rapl:*/energy_uj: it is readable by root only since "
        + "Linux 5.10 (CVE-2020-8694). Run the runner as root, or let its user read the counters: "
        + "`sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj /sys/class/powercap/intel-rapl:*:*/energy_uj` "
        + "(until reboot), or a udev rule giving a group read access (see docs/components.md)";

    private readonly Func<string, string> _readFile;
    private readonly Lock _gate = new();
    private readonly Domain[] _domains = [];
    private readonly ulong[] _previous = [];
    private ulong _totalMicrojoules;
    private bool _started;

    /// <param name="sysfsRoot">Directory holding <c>sys/class/powercap</c>: "/" on a real machine, a temporary directory in tests.</param>
    /// <param name="readFile">Reads a sysfs file; tests inject permission errors through it (as root, chmod does not deny).</param>
    public RaplMeter(string sysfsRoot = "/", Func<string, string>? readFile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sysfsRoot);
        _readFile = readFile ?? File.ReadAllText;
        try
        {
            _domains = [.. FindDomains(Path.Combine(sysfsRoot, "sys", "class", "powercap"))];
            if (_domains.Length == 0)
            {
                Status = Unavailable(NoRaplReason);
                return;
            }

            // Read every counter once now: a counter we cannot read must show at discovery (in
            // the runner's hello), not as a run without RAPL numbers.
            _previous = [.. _domains.Select(d => ReadCounter(d.EnergyPath))];
            Status = new ComponentStatus(Component, Available: true, Source: DescribeSource(_domains));
        }
        catch (UnauthorizedAccessException)
        {
            // EACCES: never report 0 J for a counter we were not allowed to read.
            Status = Unavailable(PermissionReason);
        }
        catch (Exception exception) when (exception is IOException or FormatException or OverflowException)
        {
            Status = Unavailable($"cannot read RAPL counters: {exception.Message}");
        }
    }

    public string Component => ComponentNames.Rapl;

    public ComponentStatus Status { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!Status.Available || _started)
            {
                return Task.CompletedTask;
            }

            for (var k = 0; k < _domains.Length; k++)
            {
                _previous[k] = ReadCounter(_domains[k].EnergyPath);
            }

            _totalMicrojoules = 0;
            _started = true;
        }

        return Task.CompletedTask;
    }

    public double ReadJoules()
    {
        lock (_gate)
        {
            if (!_started)
            {
                throw new InvalidOperationException(Status.Available ? "RAPL meter not started" : $"RAPL is not measured: {Status.Reason}");
            }

            for (var k = 0; k < _domains.Length; k++)
            {
                var current = ReadCounter(_domains[k].EnergyPath);
                _totalMicrojoules += RaplCounter.DeltaMicrojoules(_previous[k], current, _domains[k].MaxRangeMicrojoules);
                _previous[k] = current;
            }

            return _totalMicrojoules / 1e6;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IEnumerable<Domain> FindDomains(string powercap)
    {
        if (!Directory.Exists(powercap))
        {
            return [];
        }

        // The kernel lists every zone flat in /sys/class/powercap (links) and subzones nested
        // inside their package too; take both forms, once per zone. intel-rapl-mmio:* zones do
        // not match: they expose the same package counter again through MMIO.
        var zones = new Dictionary<string, (string Directory, Match Match)>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(powercap))
        {
            AddZone(zones, directory);
            foreach (var nested in Directory.EnumerateDirectories(directory))
            {
                AddZone(zones, nested);
            }
        }

        var domains = new List<(int Package, int Sub, Domain Domain)>();
        foreach (var (directory, match) in zones.Values)
        {
            var name = _readFile(Path.Combine(directory, "name")).Trim();
            var package = int.Parse(match.Groups["package"].Value, CultureInfo.InvariantCulture);
            var isSubzone = match.Groups["sub"].Success;
            // Top level: package-N only. psys (platform) already contains the packages and
            // DRAM, so adding it would count them twice. Subzones: dram only; core and uncore
            // are parts of their package's energy.
            var wanted = isSubzone ? name == "dram" : name.StartsWith("package-", StringComparison.Ordinal);
            if (!wanted)
            {
                continue;
            }

            var max = ReadCounter(Path.Combine(directory, "max_energy_range_uj"));
            var sub = isSubzone ? int.Parse(match.Groups["sub"].Value, CultureInfo.InvariantCulture) : -1;
            domains.Add((package, sub, new Domain(name, Path.Combine(directory, "energy_uj"), max)));
        }

        return domains.OrderBy(d => d.Sub >= 0 ? 1 : 0).ThenBy(d => d.Package).ThenBy(d => d.Sub).Select(d => d.Domain);
    }

    private static void AddZone(Dictionary<string, (string Directory, Match Match)> zones, string directory)
    {
        var name = Path.GetFileName(directory);
        var match = ZoneName().Match(name);
        if (match.Success)
        {
            zones.TryAdd(name, (directory, match));
        }
    }

    private ulong ReadCounter(string path) => ulong.Parse(_readFile(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string DescribeSource(IReadOnlyList<Domain> domains)
    {
        var packages = domains.Where(d => d.Name != "dram").Select(d => d.Name).ToList();
        var drams = domains.Count(d => d.Name == "dram");
        var parts = drams switch
        {
            0 => string.Join(" + ", packages) + ", no dram domain",
            1 => string.Join(" + ", packages) + " + dram",
            _ => string.Join(" + ", packages) + $" + {drams} × dram",
        };
        return $"RAPL {parts} (sysfs energy_uj)";
    }

    private ComponentStatus Unavailable(string reason) => new(Component, Available: false, Source: "RAPL", Reason: reason);

    [GeneratedRegex(@"^intel-rapl:(?<package>\d+)(:(?<sub>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneName();

    private sealed record Domain(string Name, string EnergyPath, ulong MaxRangeMicrojoules);
}
