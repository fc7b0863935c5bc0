using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Runs;
using Fleet.Cli.Commands;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Tests.Reports;

/// <summary>What reports add for a submitted experiment: wall against components, runs, reason, warnings; and fleet submit --wait's exit code.</summary>
public sealed class RunTableTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Text_GpuMissing_DashWithItsReasonNeverZeroJoules()
    {
        var text = EnergyTable.Text([Submitted()]);

        var row = Assert.Single(text.Split('\n'), l => l.TrimStart().StartsWith("srv-1", StringComparison.Ordinal) && l.Contains("— [1]", StringComparison.Ordinal));
        // wall 1200 J, RAPL 800 J, no GPU: components 800 J, excess 400 J = 50 %, dynamic 1200 − 80 W × 10 s = 400 J.
        Assert.Matches(@"srv-1\s+\(all\)\s+1200\.0 J\s+800\.0 J\s+— \[1\]\s+800\.0 J\s+400\.0 J\s+\+50\.0%\s+400\.0 J$", row);
        Assert.Contains("  [1] gpu on srv-1: nvidia-smi not found on PATH", text, StringComparison.Ordinal);
        Assert.Contains("  sources: rapl on srv-1: RAPL package-0 + dram", text, StringComparison.Ordinal);
        Assert.Contains("  run on srv-1 (host lab-7): exit 0, 10.0 s", text, StringComparison.Ordinal);
        Assert.Contains("  warning: socket box-a:2 did not follow srv-1's activity", text, StringComparison.Ordinal);
        Assert.Contains("  command: python train.py '--tag=two words' (idle baseline 30.0 s before it)", text, StringComparison.Ordinal);
        Assert.Contains("  idle baseline of srv-1: 80.0 W mean over 30.0 s (2400.0 J, coverage 100.0%)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_NoBaselineNoComponents_DashesWithFootnotes()
    {
        var row = new ComparisonRowResponse("srv-1", "", 10, 1200, null, null, null, null, null, null, null,
            new Dictionary<string, string>(), new Dictionary<string, string> { ["rapl"] = "permission denied on /sys/class/powercap", ["gpu"] = "no GPU" });
        var experiment = Submitted() with { Comparison = [row], Baseline = null };

        var text = EnergyTable.Text([experiment]);

        Assert.Contains("  [1] rapl on srv-1: permission denied on /sys/class/powercap", text, StringComparison.Ordinal);
        Assert.Contains("  [2] gpu on srv-1: no GPU", text, StringComparison.Ordinal);
        Assert.Contains("  [3] dynamic on srv-1: no idle baseline measured", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sources:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_Comparison_AddsTheColumnsEmptyWhereMissing()
    {
        var lines = EnergyTable.Csv([Submitted()]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(",covered_seconds,rapl_joules,gpu_joules,component_joules,excess_joules,excess_percent,dynamic_joules", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",800,,800,400,50,400", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Queued_SaysItWaitsForItsMachines()
    {
        var text = EnergyTable.Text([Submitted() with { Status = ExperimentStatus.Queued, Results = [], Comparison = [], Runs = [] }]);

        Assert.Contains("(queued: waiting for its machines", text, StringComparison.Ordinal);
        Assert.Contains("  command: python train.py", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExperimentStatus.Finished, new[] { 0, 0 }, 0)]
    [InlineData(ExperimentStatus.Failed, new[] { 0, 2, 5 }, 2)]
    [InlineData(ExperimentStatus.Failed, new[] { 0, -1 }, 1)]
    [InlineData(ExperimentStatus.Cancelled, new[] { 0 }, 130)]
    public void ExitCode_FirstNonZeroAmongMachines_OneWithoutAnyAndCancelled130(ExperimentStatus status, int[] exitCodes, int expected)
    {
        // -1 stands for a run without an exit code (its runner was lost).
        var runs = exitCodes.Select((code, i) => new MachineRunResponse($"srv-{i}", "h", T, T.AddSeconds(1), code < 0 ? null : code, code < 0 ? "runner lost" : null, [])).ToList();
        var experiment = Submitted() with { Status = status, Runs = runs, Reason = status == ExperimentStatus.Failed ? "a runner went silent" : null };

        var (exitCode, why) = SubmitCommand.ExitCode(experiment);

        Assert.Equal(expected, exitCode);
        Assert.Equal(expected is 1 or 130, why is not null);
    }

    private static ExperimentResponse Submitted()
    {
        var wall = new EnergyResultResponse("srv-1", "", T, T.AddSeconds(10), 1200, 120, 150, 1000, 1000, 0, 1, 1200);
        var idle = new EnergyResultResponse("srv-1", "(idle baseline)", T.AddSeconds(-30), T, 2400, 80, 82, 3000, 3000, 0, 1, 2400);
        var comparison = new ComparisonRowResponse("srv-1", "", 10, 1200, 800, null, 800, 400, 50, 400, 80,
            new Dictionary<string, string> { ["rapl"] = "RAPL package-0 + dram" },
            new Dictionary<string, string> { ["gpu"] = "nvidia-smi not found on PATH" });
        return new ExperimentResponse("exp-s", "train", ExperimentStatus.Finished, ["srv-1"], [], [], T, T.AddSeconds(10), [wall], T.AddSeconds(10))
        {
            Run = new RunSpecResponse(["python", "train.py", "--tag=two words"], null, new Dictionary<string, string>(), 30, 10),
            Runs = [new MachineRunResponse("srv-1", "lab-7", T, T.AddSeconds(10), 0, null, [])],
            Components =
            [
                new ComponentEnergyResponse("srv-1", "", "rapl", "RAPL package-0 + dram", 800, null),
                new ComponentEnergyResponse("srv-1", "", "gpu", "nvidia-smi", null, "nvidia-smi not found on PATH"),
            ],
            Comparison = [comparison],
            Baseline = [idle],
            Reason = null,
            Warnings = ["socket box-a:2 did not follow srv-1's activity"],
            SubmittedAt = T.AddSeconds(-40),
        };
    }
}
