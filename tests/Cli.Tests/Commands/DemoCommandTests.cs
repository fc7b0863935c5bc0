using Fleet.Cli.Commands;
using Fleet.Cli.Local;

namespace Fleet.Cli.Tests.Commands;

/// <summary>The demo's own words: where its plot goes, and a countdown that matches its length.</summary>
public sealed class DemoCommandTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 2, TimeSpan.Zero);

    [Fact]
    public void Countdown_SixteenSecondRun_NeverMoreThanSixteenSecondsLeft()
    {
        var end = Start.AddSeconds(16);

        Assert.Contains("starts in   3 s", DemoCommand.Countdown(Start, end, Start.AddSeconds(-3)), StringComparison.Ordinal);
        Assert.Contains("16 s left of 16 s", DemoCommand.Countdown(Start, end, Start), StringComparison.Ordinal);
        Assert.Contains(" 5 s left of 16 s", DemoCommand.Countdown(Start, end, Start.AddSeconds(11.2)), StringComparison.Ordinal);
        Assert.Contains("waiting for the last frames", DemoCommand.Countdown(Start, end, end), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultPlot_InTheDataDirectoryNotTheCheckout()
    {
        Assert.Equal(Path.Combine(LocalStack.DefaultDataDirectory, "fleet-demo.png"), DemoCommand.DefaultPlotPath);
        Assert.NotEqual(Path.GetFullPath("fleet-demo.png"), DemoCommand.DefaultPlotPath);
    }
}
