using System.Globalization;
using ScottPlot;

namespace Fleet.Cli.Plotting;

/// <summary>
/// Renders power over time with ScottPlot: per line, the series as served (10 ms frames or
/// per-second means) drawn light and thin, its moving average bold in the same colour, and
/// phases as shaded spans with their names.
/// </summary>
internal static class PowerChart
{
    /// <summary>Distinct colours that stay readable both as a light raw line and a bold average.</summary>
    private static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#d62728"), Color.FromHex("#2ca02c"), Color.FromHex("#9467bd"),
        Color.FromHex("#ff7f0e"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#17becf"),
    ];

    private static readonly Color[] PhaseColours =
    [
        Color.FromHex("#fdd835"), Color.FromHex("#4fc3f7"), Color.FromHex("#81c784"), Color.FromHex("#ce93d8"),
    ];

    public static bool IsSupported(string path) => Format(path) is not null;

    public static void Render(
        string path,
        string title,
        IReadOnlyList<PowerLine> lines,
        IReadOnlyList<PhaseSpan> phases,
        int averageWindowPoints,
        string rawLabel,
        string averageLabel,
        int widthPixels,
        int heightPixels)
    {
        using var plot = new Plot();
        plot.Title(title);
        var timeAxis = plot.Axes.DateTimeTicksBottom();

        // The date is in the title; ticks show the time in ISO order, never a culture's month/day.
        var first = lines.Where(l => l.TimesUtc.Count > 0).Select(l => l.TimesUtc[0]).DefaultIfEmpty().Min();
        var last = lines.Where(l => l.TimesUtc.Count > 0).Select(l => l.TimesUtc[^1]).DefaultIfEmpty().Max();
        var tickFormat = (last - first) switch
        {
            var span when span < TimeSpan.FromMinutes(1) => "HH:mm:ss.ff",
            var span when span < TimeSpan.FromDays(1) => "HH:mm:ss",
            _ => "yyyy-MM-dd HH:mm",
        };
        if (timeAxis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
        {
            ticks.LabelFormatter = t => t.ToString(tickFormat, CultureInfo.InvariantCulture);
        }

        // After DateTimeTicksBottom: it replaces the bottom axis and its label with it.
        plot.XLabel("time (UTC)");
        plot.YLabel("power (W)");

        var highest = 0.0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Watts.Count == 0)
            {
                continue;
            }

            var colour = Palette[i % Palette.Length];
            var xs = line.TimesUtc.Select(t => t.ToOADate()).ToArray();
            var raw = plot.Add.SignalXY(xs, [.. line.Watts], colour.WithAlpha(0.35));
            raw.LineWidth = 1;
            raw.LegendText = $"{line.Label} ({rawLabel})";
            var average = plot.Add.SignalXY(xs, MovingAverage.Centred(line.Watts, averageWindowPoints), colour);
            average.LineWidth = 2.5f;
            average.LegendText = $"{line.Label} ({averageLabel})";
            highest = Math.Max(highest, line.Watts.Max());
        }

        // Phase names sit just under the top edge, inside their span.
        var labelY = highest <= 0 ? 1 : highest * 1.08;
        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            var span = plot.Add.HorizontalSpan(phase.From.UtcDateTime.ToOADate(), phase.To.UtcDateTime.ToOADate(), PhaseColours[i % PhaseColours.Length].WithAlpha(0.18));
            span.LineStyle.Width = 0;
            var label = plot.Add.Text(phase.Name, phase.From.UtcDateTime.ToOADate(), labelY);
            label.LabelFontSize = 13;
            label.LabelBold = true;
            label.LabelFontColor = Colors.Black.WithAlpha(0.7);
        }

        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(Math.Min(0, limits.Bottom), Math.Max(limits.Top, highest * 1.15));
        plot.ShowLegend(Alignment.LowerRight);

        switch (Format(path))
        {
            case ImageFormat.Png:
                plot.SavePng(path, widthPixels, heightPixels);
                break;
            case ImageFormat.Svg:
                plot.SaveSvg(path, widthPixels, heightPixels);
                break;
            default:
                throw new CliException($"--out {path}: give a .png or .svg file name");
        }
    }

    private static ImageFormat? Format(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".PNG" => ImageFormat.Png,
        ".SVG" => ImageFormat.Svg,
        _ => null,
    };
}
