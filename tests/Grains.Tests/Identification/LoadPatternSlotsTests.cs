using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Tests.Identification;

/// <summary>The runner and the silo derive the same slots from a seed, on any .NET version.</summary>
public sealed class LoadPatternSlotsTests
{
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 30)]
    [InlineData(-7, 31)]
    [InlineData(int.MaxValue, 10)]
    [InlineData(0, 2)]
    public void All_AnySeed_FirstSlotOffAndHalfOn(int seed, int slots)
    {
        var all = LoadPatternSlots.All(new LoadPattern(seed, slots, 1));

        Assert.Equal(slots, all.Count);
        Assert.False(all[0]);
        Assert.Equal(slots / 2, all.Count(s => s));
    }

    [Fact]
    public void All_Seed42_IsTheSameSequenceForever()
    {
        // Pinned: a change here means runners and silos of different versions disagree on slots.
        var all = LoadPatternSlots.All(LoadPatternSlots.Default(42));

        Assert.Equal("001000011001111000011111110001", string.Concat(all.Select(s => s ? '1' : '0')));
    }

    [Fact]
    public void All_DifferentSeeds_DifferentPatterns()
    {
        var patterns = Enumerable.Range(0, 50).Select(seed => string.Concat(LoadPatternSlots.All(LoadPatternSlots.Default(seed)).Select(s => s ? '1' : '0'))).ToList();

        Assert.Equal(50, patterns.Distinct().Count());
    }

    [Fact]
    public void IsOn_MatchesAll()
    {
        var pattern = LoadPatternSlots.Default(9);

        Assert.Equal(LoadPatternSlots.All(pattern), Enumerable.Range(0, pattern.Slots).Select(pattern.IsOn));
        Assert.Throws<ArgumentOutOfRangeException>(() => pattern.IsOn(pattern.Slots));
    }

    [Fact]
    public void Default_ThirtySlotsOfOneSecond()
    {
        var pattern = LoadPatternSlots.Default(3);

        Assert.Equal(new LoadPattern(3, 30, 1.0), pattern);
        Assert.Equal(30, pattern.DurationSeconds);
    }
}
