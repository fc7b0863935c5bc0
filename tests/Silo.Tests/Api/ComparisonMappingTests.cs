using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Silo.Api.Mapping;

namespace Fleet.Silo.Tests.Api;

/// <summary>Wall against components, the one place the API computes it: the numbers, and null (never 0 J) for what was not measured.</summary>
public sealed class ComparisonMappingTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly RunSpec Run = new(["./bench.sh"], null, new Dictionary<string, string>(), 30);

    [Fact]
    public void Comparison_RaplMeasuredGpuMissing_ExcessOverRaplAndDynamicOverTheIdleBaseline()
    {
        var info = Experiment(
            [Wall("srv-1", "", 0, 20, 3000), Wall("srv-1", "train", 5, 20, 2400)],
            [
                new ComponentEnergyResult("srv-1", "", "rapl", "RAPL package-0 + dram", 2000),
                new ComponentEnergyResult("srv-1", "", "gpu", "nvidia-smi", null, "nvidia-smi not found on PATH"),
                new ComponentEnergyResult("srv-1", "train", "rapl", "RAPL package-0 + dram", 1500),
                new ComponentEnergyResult("srv-1", "train", "gpu", "nvidia-smi", null, "nvidia-smi not found on PATH"),
            ],
            [Idle("srv-1", 30, 80)]);

        var rows = info.Comparison()!;

        var whole = rows[0];
        Assert.Equal(("srv-1", "", 20.0, 3000.0), (whole.Machine, whole.Phase, whole.DurationSeconds, whole.WallJoules));
        Assert.Equal(2000, whole.RaplJoules);
        Assert.Null(whole.GpuJoules);
        Assert.Equal(2000, whole.ComponentJoules);
        Assert.Equal(1000, whole.ExcessJoules);
        Assert.Equal(50, whole.ExcessPercent!.Value, 9);
        // 3000 J − 80 W × 20 s.
        Assert.Equal(1400, whole.DynamicJoules!.Value, 9);
        Assert.Equal(80, whole.IdleBaselineWatts);
        Assert.Equal("nvidia-smi not found on PATH", whole.Missing["gpu"]);
        Assert.Equal("RAPL package-0 + dram", whole.Sources["rapl"]);
        Assert.False(whole.Sources.ContainsKey("gpu"));

        var train = rows[1];
        Assert.Equal(900, train.ExcessJoules!.Value, 9);
        Assert.Equal(60, train.ExcessPercent!.Value, 9);
        // 2400 J − 80 W × 15 s.
        Assert.Equal(1200, train.DynamicJoules!.Value, 9);
    }

    [Fact]
    public void Comparison_RaplAndGpu_ComponentsAreTheirSum()
    {
        var info = Experiment(
            [Wall("gpu-1", "", 0, 10, 5000)],
            [new ComponentEnergyResult("gpu-1", "", "rapl", "RAPL", 1000), new ComponentEnergyResult("gpu-1", "", "gpu", "nvidia-smi", 3000)],
            []);

        var row = Assert.Single(info.Comparison()!);

        Assert.Equal(4000, row.ComponentJoules);
        Assert.Equal(1000, row.ExcessJoules);
        Assert.Equal(25, row.ExcessPercent!.Value, 9);
        Assert.Null(row.DynamicJoules);
        Assert.Null(row.IdleBaselineWatts);
    }

    [Fact]
    public void Comparison_NothingMeasured_NullsNotZeros()
    {
        var info = Experiment(
            [Wall("srv-2", "", 0, 10, 1000)],
            [new ComponentEnergyResult("srv-2", "", "rapl", "RAPL", null, "permission denied on /sys/class/powercap/intel-rapl:0/energy_uj")],
            [Idle("srv-2", 30, 90) with { CoveredSeconds = 0, Frames = 0 }]);

        var row = Assert.Single(info.Comparison()!);

        Assert.Null(row.RaplJoules);
        Assert.Null(row.GpuJoules);
        Assert.Null(row.ComponentJoules);
        Assert.Null(row.ExcessJoules);
        Assert.Null(row.ExcessPercent);
        // A baseline without frames says nothing about idle power.
        Assert.Null(row.DynamicJoules);
        Assert.Equal("permission denied on /sys/class/powercap/intel-rapl:0/energy_uj", row.Missing["rapl"]);
    }

    [Fact]
    public void ToResponse_ExperimentWithoutCommand_NoRunFields()
    {
        var response = new ExperimentInfo("exp-m", "manual", ExperimentStatus.Finished, ["srv-1"], [], T, T.AddSeconds(1), [Wall("srv-1", "", 0, 1, 100)], []).ToResponse();

        Assert.Null(response.Run);
        Assert.Null(response.Runs);
        Assert.Null(response.Comparison);
        Assert.Null(response.Components);
    }

    [Fact]
    public void ToResponse_MissingComponent_KeepsNullJoulesAndItsReason()
    {
        var response = Experiment([Wall("srv-1", "", 0, 1, 100)], [new ComponentEnergyResult("srv-1", "", "gpu", "nvidia-smi", null, "no GPU")], []).ToResponse();

        var gpu = Assert.Single(response.Components!);
        Assert.Null(gpu.Joules);
        Assert.Equal("no GPU", gpu.Missing);
        Assert.Equal(["./bench.sh"], response.Run!.Command);
        Assert.Equal(30, response.Run.IdleBaselineSeconds);
    }

    private static ExperimentInfo Experiment(EnergyResult[] results, ComponentEnergyResult[] components, EnergyResult[] baseline) =>
        new("exp-c", "bench", ExperimentStatus.Finished, [.. results.Select(r => r.Machine).Distinct()], [], T, T.AddSeconds(20), results, [],
            Run: Run, Runs: [], Components: components, Baseline: baseline, SubmittedAt: T.AddSeconds(-40));

    private static EnergyResult Wall(string machine, string phase, double from, double to, double joules) =>
        new(machine, phase, T.AddSeconds(from), T.AddSeconds(to), joules, joules / (to - from), 200, (long)((to - from) * 100), (long)((to - from) * 100), 0, 1, joules, T.AddSeconds(from), T.AddSeconds(to), to - from);

    private static EnergyResult Idle(string machine, double seconds, double watts) =>
        new(machine, "(idle baseline)", T.AddSeconds(-seconds), T, watts * seconds, watts, watts + 2, (long)(seconds * 100), (long)(seconds * 100), 0, 1, watts * seconds, T.AddSeconds(-seconds), T, seconds);
}
