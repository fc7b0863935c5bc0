using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Cli.Commands;
using Fleet.Cli.Plotting;

namespace Fleet.Cli.Tests.Plotting;

/// <summary>What a plot shows: labels without padding, a smoothing that keeps the signal's shape, a power axis that can fit the data.</summary>
public sealed partial class PowerChartTests : IDisposable
{
    private static readonly DateTime T = new(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc);
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-plot-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TickLabel_ShortWindow_FractionsOnlyWhereATickHasOne()
    {
        Assert.Equal("10:00:02", PowerChart.TickLabel(T.AddSeconds(2), TimeSpan.FromSeconds(16)));
        Assert.Equal("10:00:02.5", PowerChart.TickLabel(T.AddSeconds(2.5), TimeSpan.FromSeconds(16)));
        Assert.Equal("10:05:00", PowerChart.TickLabel(T.AddMinutes(5), TimeSpan.FromHours(1)));
        Assert.Equal("95", PowerChart.WattsLabel(95));
        Assert.Equal("95.5", PowerChart.WattsLabel(95.5));
    }

    [Fact]
    public void DefaultMovingAverage_FourSecondSquareWave_StaysSquare()
    {
        // The demo's burst machine over a 16 s run: 110 W and 270 W, 2 s each.
        var watts = Enumerable.Range(0, 1600).Select(k => k / 200 % 2 == 0 ? 110.0 : 270.0).ToList();

        var smoothed = MovingAverage.Centred(watts, PlotCommand.AutoAverageFrames(TimeSpan.FromSeconds(16)));

        var onAPlateau = smoothed.Count(w => Math.Abs(w - 110) < 1 || Math.Abs(w - 270) < 1) / (double)smoothed.Length;
        Assert.True(onAPlateau > 0.9, $"only {onAPlateau:P0} of the smoothed points are on the wave's levels");
        Assert.Equal(36, PlotCommand.AutoAverageFrames(TimeSpan.FromHours(1)) / 100);
    }

    [Fact]
    public void Render_YRangeAuto_FitsNinetyFiveToNinetySixWatts()
    {
        var line = new PowerLine("srv-1", [.. Enumerable.Range(0, 1000).Select(k => T.AddMilliseconds(10 * k))], [.. Enumerable.Range(0, 1000).Select(k => 95 + (k % 100 / 100.0))]);
        var zero = Path.Combine(_directory, "zero.svg");
        var auto = Path.Combine(_directory, "auto.svg");

        PowerChart.Render(zero, "t", [line], [], 10, "raw", "avg", zeroBased: true, 1000, 500);
        PowerChart.Render(auto, "t", [line], [], 10, "raw", "avg", zeroBased: false, 1000, 500);

        Assert.Contains(0.0, Numbers(zero));
        Assert.True(Numbers(auto).Min() >= 90, $"auto range labels: {string.Join(", ", Numbers(auto))}");
        Assert.DoesNotContain(Labels(auto), l => l.EndsWith(".00", StringComparison.Ordinal));
    }

    private static List<string> Labels(string svg) =>
        [.. TextElement().Matches(File.ReadAllText(svg)).Select(m => m.Groups["text"].Value)];

    private static List<double> Numbers(string svg) =>
        [.. Labels(svg).Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).Where(double.IsFinite)];

    [GeneratedRegex(@"<text[^>]*>(?<text>[^<]*)</text>")]
    private static partial Regex TextElement();
}
