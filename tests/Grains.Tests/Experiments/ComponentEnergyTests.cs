using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Experiments;

namespace Fleet.Grains.Tests.Experiments;

public sealed class ComponentEnergyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    // A 100 W counter sampled every second from Start: 0, 100, …, 1000 J.
    private static readonly ComponentSample[] HundredWatts = [.. Enumerable.Range(0, 11).Select(k => new ComponentSample("gpu", Start.AddSeconds(k), 100.0 * k))];

    [Fact]
    public void Between_InsideTheSamples_InterpolatesBothEnds()
    {
        Assert.Equal(325.0, ComponentEnergy.Between(HundredWatts, Start.AddSeconds(2.25), Start.AddSeconds(5.5))!.Value, 9);
        Assert.Equal(0.0, ComponentEnergy.Between(HundredWatts, Start.AddSeconds(3), Start.AddSeconds(3))!.Value, 9);
    }

    [Fact]
    public void Between_EndsWithinToleranceOutside_ExtrapolatesFromTheNearestPair()
    {
        // The command started 1 s before the first sample and the phase ended 1.2 s after the last.
        Assert.Equal(1_220.0, ComponentEnergy.Between(HundredWatts, Start.AddSeconds(-1), Start.AddMilliseconds(11_200))!.Value, 9);
    }

    [Fact]
    public void Between_EndFartherOutsideThanTolerance_IsMissing()
    {
        Assert.Null(ComponentEnergy.Between(HundredWatts, Start.AddSeconds(-1.6), Start.AddSeconds(5)));
        Assert.Null(ComponentEnergy.Between(HundredWatts, Start.AddSeconds(5), Start.AddSeconds(11.6)));
    }

    [Fact]
    public void Between_EndInsideAGapOverFiveSeconds_IsMissingButAcrossItIsFine()
    {
        ComponentSample[] gap = [new("rapl", Start, 0), new("rapl", Start.AddSeconds(1), 50), new("rapl", Start.AddSeconds(8), 400), new("rapl", Start.AddSeconds(9), 450)];

        Assert.Null(ComponentEnergy.Between(gap, Start.AddSeconds(0.5), Start.AddSeconds(4)));
        // The counter is cumulative: a gap strictly inside the window loses nothing.
        Assert.Equal(425.0, ComponentEnergy.Between(gap, Start.AddSeconds(0.5), Start.AddSeconds(9))!.Value, 9);
    }

    [Fact]
    public void Between_FewerThanTwoSamples_IsMissingNotZero()
    {
        Assert.Null(ComponentEnergy.Between([], Start, Start.AddSeconds(1)));
        Assert.Null(ComponentEnergy.Between([new ComponentSample("gpu", Start, 0)], Start, Start));
    }

    [Fact]
    public void Between_SamplesOutOfOrder_SameAsOrdered()
    {
        ComponentSample[] shuffled = [HundredWatts[3], HundredWatts[0], HundredWatts[2], HundredWatts[1]];

        Assert.Equal(150.0, ComponentEnergy.Between(shuffled, Start.AddSeconds(0.5), Start.AddSeconds(2))!.Value, 9);
    }
}
