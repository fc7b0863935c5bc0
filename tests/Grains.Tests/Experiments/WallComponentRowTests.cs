using System.Globalization;
using Fleet.AgentHost.Components;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Experiments;

namespace Fleet.Grains.Tests.Experiments;

public sealed class WallComponentRowTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string _sysfs = Directory.CreateTempSubdirectory("fleet-sysfs-").FullName;

    public void Dispose() => Directory.Delete(_sysfs, recursive: true);

    [Theory]
    // The protocol notes' comparisons: RAPL + nvidia-smi against the wall.
    [InlineData("FasterPAM", 19_181.3, 14_107.4, 200, 5_073.9, 35.966)]
    [InlineData("PAM multiprocess", 39_061.5, 28_027.0, 250, 11_034.5, 39.371)]
    public void Compute_PublishedRuns_WallReadsThirtySixAndThirtyNinePercentMore(string phase, double wall, double software, double seconds, double excess, double percent)
    {
        // The notes give RAPL + nvidia-smi as one number: carried as RAPL alone here.
        var row = WallComponentRow.Compute("srv-1", phase, wall, seconds, software, null, null);

        Assert.Equal(software, row.ComponentJoules!.Value, 9);
        Assert.Equal(excess, row.ExcessJoules!.Value, 6);
        Assert.Equal(percent, row.ExcessPercent!.Value, 3);
        Assert.Null(row.DynamicJoules);
    }

    [Fact]
    public void Compute_NoComponentMeasured_AllComponentFiguresMissing()
    {
        var row = WallComponentRow.Compute("srv-1", "train", 500, 10, null, null, 30);

        Assert.Null(row.ComponentJoules);
        Assert.Null(row.ExcessJoules);
        Assert.Null(row.ExcessPercent);
        Assert.Equal(200.0, row.DynamicJoules!.Value, 9);
    }

    [Fact]
    public async Task Compute_RaplWithAWrapAndGpuOverAPhase_HandComputedTable()
    {
        // One package; its counter wraps between the samples at 1 s and 2 s.
        //   t (s)   energy_uj          step (J)                                 cumulative (J)
        //   0       262 100 000 000    start                                       0
        //   1       262 140 000 000    40                                          40
        //   2       36 671 150         262 143 328 850 − 262 140 000 000 + …  = 40  80
        //   3       86 671 150         50                                         130
        //   4       146 671 150        60                                         190
        // Phase [0.5 s, 3.5 s]: RAPL 160 − 20 = 140 J; GPU at a steady 100 W: 300 J.
        // Wall 572 J: components 440 J, excess 132 J = 30 %; idle 90 W × 3 s = 270 J, dynamic 302 J.
        ulong[] counter = [262_100_000_000, 262_140_000_000, 36_671_150, 86_671_150, 146_671_150];
        var zone = Path.Combine(_sysfs, "sys", "class", "powercap", "intel-rapl:0");
        Directory.CreateDirectory(zone);
        await File.WriteAllTextAsync(Path.Combine(zone, "name"), "package-0\n");
        await File.WriteAllTextAsync(Path.Combine(zone, "max_energy_range_uj"), "262143328850\n");
        var now = 0;
        string Read(string path) => path.EndsWith("energy_uj", StringComparison.Ordinal) && !path.EndsWith("max_energy_range_uj", StringComparison.Ordinal)
            ? counter[now].ToString(CultureInfo.InvariantCulture)
            : File.ReadAllText(path);
        await using var meter = new RaplMeter(_sysfs, Read);
        await meter.StartAsync(CancellationToken.None);
        var rapl = new List<ComponentSample> { new("rapl", Start, meter.ReadJoules()) };
        for (now = 1; now < counter.Length; now++)
        {
            rapl.Add(new ComponentSample("rapl", Start.AddSeconds(now), meter.ReadJoules()));
        }

        ComponentSample[] gpu = [.. Enumerable.Range(0, 5).Select(k => new ComponentSample("gpu", Start.AddSeconds(k), 100.0 * k))];
        var (from, to) = (Start.AddSeconds(0.5), Start.AddSeconds(3.5));

        var row = WallComponentRow.Compute("srv-1", "train", 572, 3, ComponentEnergy.Between(rapl, from, to), ComponentEnergy.Between(gpu, from, to), 90);

        Assert.Equal([0.0, 40, 80, 130, 190], rapl.Select(s => Math.Round(s.Joules, 9)));
        Assert.Equal(140.0, row.RaplJoules!.Value, 9);
        Assert.Equal(300.0, row.GpuJoules!.Value, 9);
        Assert.Equal(440.0, row.ComponentJoules!.Value, 9);
        Assert.Equal(132.0, row.ExcessJoules!.Value, 9);
        Assert.Equal(30.0, row.ExcessPercent!.Value, 9);
        Assert.Equal(302.0, row.DynamicJoules!.Value, 9);
    }
}
