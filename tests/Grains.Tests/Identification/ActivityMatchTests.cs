using Fleet.Grains.Identification;

namespace Fleet.Grains.Tests.Identification;

/// <summary>The check that runs during every experiment: does the assigned socket still follow the runner's activity?</summary>
public sealed class ActivityMatchTests
{
    private static readonly double End = SimulatedLab.PatternStartSeconds + 30;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Check_SocketFollowsTheActivity_NoWarning(int seed)
    {
        var lab = SimulatedLab.Build(seed, [2]);
        var activity = lab.Runner.Activity(SimulatedLab.Origin, 0, End);

        Assert.Null(ActivityMatch.Check(activity, lab.PowerOf(2)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Check_SocketOfAnotherMachine_Warns(int seed)
    {
        var lab = SimulatedLab.Build(seed, [2]);
        var activity = lab.Runner.Activity(SimulatedLab.Origin, 0, End);

        // Every other socket: the user's machine was moved and its assignment still names one of these.
        foreach (var socket in new[] { 1, 3, 4, 5, 6 })
        {
            var warning = ActivityMatch.Check(activity, lab.PowerOf(socket));

            Assert.NotNull(warning);
            Assert.Contains("did not follow the runner's activity", warning, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_FlatActivity_NoWarningWhateverThePower()
    {
        var lab = SimulatedLab.Build(4, [2]);
        // A steady job: one core all along, against a socket whose power moves on its own.
        var activity = Enumerable.Range(0, 300).Select(k => new Fleet.Grains.Abstractions.Messages.Runs.ActivitySample(SimulatedLab.Origin.AddSeconds(k * 0.1), 1.0 + (0.01 * (k % 3)))).ToList();

        foreach (var socket in Enumerable.Range(1, 6))
        {
            Assert.Null(ActivityMatch.Check(activity, lab.PowerOf(socket)));
        }
    }

    [Fact]
    public void Check_TooShortToTell_NoWarning()
    {
        var lab = SimulatedLab.Build(4, [2]);
        var activity = lab.Runner.Activity(SimulatedLab.Origin, SimulatedLab.PatternStartSeconds, SimulatedLab.PatternStartSeconds + ActivityMatch.MinSeconds - 2);

        Assert.Null(ActivityMatch.Check(activity, lab.PowerOf(1)));
    }
}
