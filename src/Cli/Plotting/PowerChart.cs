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

    /// <summary>Room right of the plot for the last time label, which is centred on its tick and would be cut at the edge.</summary>
    private const float RightMarginPixels = 60;

    public static bool IsSupported(string path) => Format(path) is not null;

    /// <summary>
    /// A time tick's label: the date is in the title; the time in ISO order, never a culture's
    /// month/day, with fractions only when the tick has one (10:00:02, 10:00:02.5, never .00).
    /// </summary>
    public static string TickLabel(DateTime time, TimeSpan span) => span switch
    {
        _ when span < TimeSpan.FromMinutes(1) => time.ToString("HH:mm:ss.FF", CultureInfo.InvariantCulture),
        _ when span < TimeSpan.FromDays(1) => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        _ => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
    };

    /// <summary>A power tick's label: as many decimals as the value has, up to three (95, 95.5, never 95.00).</summary>
    public static string WattsLabel(double watts) => watts.ToString("0.###", CultureInfo.InvariantCulture);

    public static void Render(
        string path,
        string title,
        IReadOnlyList<PowerLine> lines,
        IReadOnlyList<PhaseSpan> phases,
        int averageWindowPoints,
        string rawLabel,
        string averageLabel,
        bool zeroBased,
        int widthPixels,
        int heightPixels)
    {
        using var plot = new Plot();
        plot.Title(title);
        var timeAxis = plot.Axes.DateTimeTicksBottom();

        var first = lines.Where(l => l.TimesUtc.Count > 0).Select(l => l.TimesUtc[0]).DefaultIfEmpty().Min();
        var last = lines.Where(l => l.TimesUtc.Count > 0).Select(l => l.TimesUtc[^1]).DefaultIfEmpty().Max();
        if (timeAxis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
        {
            ticks.LabelFormatter = t => TickLabel(t, last - first);
        }

        if (plot.Axes.Left.TickGenerator is ScottPlot.TickGenerators.NumericAutomatic watts)
        {
            watts.LabelFormatter = WattsLabel;
        }

        plot.Axes.Right.MinimumSize = RightMarginPixels;

        // After DateTimeTicksBottom: it replaces the bottom axis and its label with it.
        plot.XLabel("time (UTC)");
        plot.YLabel("power (W)");

        var highest = 0.0;
        var lowest = double.MaxValue;
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
            lowest = Math.Min(lowest, line.Watts.Min());
        }

        // From zero, energy's natural scale; or around the data, where 95 to 96 W is not a flat line.
        var bottom = zeroBased ? Math.Min(0, lowest) : lowest;
        // At least a watt of axis: a flat or all-zero line gets a readable scale, not a microscopic one.
        var range = Math.Max(highest - bottom, 1.0);
        if (!zeroBased)
        {
            bottom -= range * 0.05;
        }

        // Phase names sit just under the top edge, inside their span.
        var labelY = highest + (range * 0.08);
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

        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(bottom, highest + (range * 0.15));
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
