using Fleet.Api.Contracts.Experiments;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Tests.Reports;

/// <summary>What `fleet exp show` and `fleet report` print for each state of an experiment, from the silo's records.</summary>
public sealed class EnergyTableTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Text_Cancelled_SaysItWasCancelledNotThatItHasNotFinished()
    {
        var text = EnergyTable.Text([Experiment("exp-c", ExperimentStatus.Cancelled, T, T.AddSeconds(5), [], [])]);

        Assert.Contains("cancelled: no energy is computed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("has not finished", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Running_ShowsItsPhasesAndTheEnergySoFar()
    {
        var experiment = Experiment(
            "exp-r",
            ExperimentStatus.Running,
            T,
            null,
            [new PhaseResponse("warmup", T.AddSeconds(2), T.AddSeconds(6)), new PhaseResponse("load", T.AddSeconds(6), null)],
            [Result("srv-1", string.Empty, 0, 10, 950), Result("srv-1", "(unmarked)", 0, 2, 190), Result("srv-1", "warmup", 2, 6, 380), Result("srv-1", "load", 6, 10, 380)]) with
        {
            ResultsUntil = T.AddSeconds(10),
        };

        var text = EnergyTable.Text([experiment]);

        Assert.Contains("phases: warmup 10:00:02.000 → 10:00:06.000, load from 10:00:06.000 (running)", text, StringComparison.Ordinal);
        Assert.Contains("energy so far: 10.0 s, up to 2026-11-25 10:00:10 UTC", text, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), l => l.Contains("(unmarked)", StringComparison.Ordinal) && l.Contains("190.0 J", StringComparison.Ordinal));
    }

    [Fact]
    public void Comparison_RunsOfDifferentLengths_ComparedByMeanPowerWithTheEnergyBeside()
    {
        // The case: 16 s and 6.6 s at about the same power were "-58.8 %" by joules.
        var a = Experiment("run-a", ExperimentStatus.Finished, T, T.AddSeconds(16), [], [Result("srv-1", string.Empty, 0, 16, 16 * 95.0)]);
        var b = Experiment("run-b", ExperimentStatus.Finished, T, T.AddSeconds(6.6), [], [Result("srv-1", string.Empty, 0, 6.6, 6.6 * 95.5)]);

        var text = EnergyTable.Comparison([a, b]);

        var row = Assert.Single(text.Split('\n'), l => l.TrimStart().StartsWith("srv-1", StringComparison.Ordinal));
        Assert.Contains("95.0 W  1520.0 J", row, StringComparison.Ordinal);
        Assert.Contains("95.5 W (+0.5%)  630.3 J", row, StringComparison.Ordinal);
        Assert.DoesNotContain("-58", row, StringComparison.Ordinal);
        Assert.Contains("16.0 s", text, StringComparison.Ordinal);
        Assert.Contains("6.6 s", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(908.2, "908.2 J")]
    [InlineData(45_000, "12.50 Wh")]
    [InlineData(7_200_000, "2.000 kWh")]
    public void Energy_LargeNumbers_InWattHours(double joules, string expected)
    {
        Assert.Equal(expected, Units.Energy(joules));
    }

    private static ExperimentResponse Experiment(string id, ExperimentStatus status, DateTimeOffset? started, DateTimeOffset? finished, PhaseResponse[] phases, EnergyResultResponse[] results) =>
        new(id, id, status, ["srv-1"], [.. phases.Select(p => new PhaseMarkResponse(p.Name, p.From))], phases, started, finished, results);

    private static EnergyResultResponse Result(string machine, string phase, double from, double to, double joules) =>
        new(machine, phase, T.AddSeconds(from), T.AddSeconds(to), joules, joules / (to - from), 100, (long)((to - from) * 100), (long)((to - from) * 100), 0, 1, joules);
}
