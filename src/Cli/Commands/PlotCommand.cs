using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Api;
using Fleet.Cli.Plotting;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet plot</c>: power over time of an experiment's machines, a machine or a socket, as PNG or SVG.</summary>
internal static class PlotCommand
{
    /// <summary>What the silo is asked for: raw frames when it serves them for the window, else its smallest step within its point cap.</summary>
    private const string FinestStep = "finest";

    private const string Auto = "auto";

    /// <summary>The automatic moving average spans this share of the plotted time.</summary>
    private const double AutoAverageShare = 0.01;

    public static Command Create()
    {
        var id = new Argument<string?>("ID") { Description = "An experiment: its machines over its run, its phases shaded.", Arity = ArgumentArity.ZeroOrOne };
        var machines = new Option<string[]>("--machine") { Description = "A machine (its sockets summed); repeat for several lines.", HelpName = "NAME" };
        var box = new Option<string?>("--box") { Description = "A box, with --socket.", HelpName = "BOX" };
        var socket = new Option<int?>("--socket") { Description = "Socket number on the box (1-based).", HelpName = "N" };
        var from = GlobalOptions.From("Window start, with --machine or --box");
        var to = GlobalOptions.To();
        var output = GlobalOptions.Out("The image to write: FILE.png or FILE.svg.");
        output.Required = true;
        var average = new Option<string>("--moving-average")
        {
            Description = "Moving average window in 10 ms frames (200 = 2 s), drawn bold over the raw series; auto (default): 1 % of the plotted time, which smooths noise without blurring steps.",
            DefaultValueFactory = _ => Auto,
            HelpName = "FRAMES|auto",
        };
        var yRange = new Option<string>("--y-range")
        {
            Description = "zero (default): the power axis starts at 0 W; auto: it fits the data, so small changes (95 to 96 W) show.",
            DefaultValueFactory = _ => "zero",
            HelpName = "zero|auto",
        };
        yRange.AcceptOnlyFromAmong("zero", Auto);
        var phase = new Option<string?>("--phase") { Description = "Zoom into this phase of the experiment (from its mark to the next one).", HelpName = "NAME" };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => 1600, HelpName = "PIXELS" };
        var height = new Option<int>("--height") { Description = "Image height in pixels.", DefaultValueFactory = _ => 900, HelpName = "PIXELS" };
        var command = new Command("plot", """
            Plot power over time of an experiment, a machine or a socket, as PNG or SVG.

            The raw 10 ms series (per-second means for windows over an hour, said on stderr) is drawn
            light with its moving average bold, one line per machine, an experiment's phases shaded.

            Examples:
              fleet plot exp-20261125-100000-ab12cd -o run.png
              fleet plot exp-20261125-100000-ab12cd --phase epoch-2 -o epoch-2.svg
              fleet plot --machine srv-1 --machine srv-2 --from 2026-11-25T10:00:00Z --to 2026-11-25T10:05:00Z -o srv.png
              fleet plot --machine srv-1 --from -10m --y-range auto -o srv-1.png
              fleet plot --box omegawatt-a --socket 3 --from today --moving-average 50 -o s3.png
            """)
        {
            id, machines, box, socket, from, to, output, average, yRange, phase, width, height,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("plot", async () =>
        {
            var request = new PlotRequest(
                parse.GetValue(id),
                parse.GetValue(machines) ?? [],
                parse.GetValue(box),
                parse.GetValue(socket),
                parse.GetValue(from),
                parse.GetValue(to),
                parse.GetValue(output)!,
                ParseAverage(parse.GetValue(average)!),
                parse.GetValue(yRange) == "zero",
                parse.GetValue(phase),
                parse.GetValue(width),
                parse.GetValue(height));
            Validate(request);
            using var client = GlobalOptions.Client(parse);
            var chart = request.ExperimentId is not null
                ? await ExperimentChartAsync(client, request, cancellationToken).ConfigureAwait(false)
                : WindowChart(request);
            await RenderAsync(client, request, chart, parse.GetValue(GlobalOptions.Json), cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Plots a whole experiment (as `fleet plot ID --out FILE`); used by `fleet demo`.</summary>
    public static async Task PlotExperimentAsync(FleetApiClient client, string experimentId, string outputPath, CancellationToken cancellationToken)
    {
        var request = new PlotRequest(experimentId, [], null, null, null, null, outputPath, null, true, null, 1600, 900);
        Validate(request);
        var chart = await ExperimentChartAsync(client, request, cancellationToken).ConfigureAwait(false);
        await RenderAsync(client, request, chart, json: false, cancellationToken).ConfigureAwait(false);
    }

    private static void Validate(PlotRequest request)
    {
        if (!PowerChart.IsSupported(request.OutputPath))
        {
            throw new CliException($"--out {request.OutputPath}: the image format comes from the extension; give a .png or .svg file name");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!;
        if (!Directory.Exists(directory))
        {
            throw new CliException($"--out {request.OutputPath}: no such directory {directory}");
        }

        var targets = (request.ExperimentId is not null ? 1 : 0) + (request.Machines.Length > 0 ? 1 : 0) + (request.Box is not null ? 1 : 0);
        if (targets != 1 || (request.Box is not null && request.Socket is null) || (request.Socket is not null && request.Box is null))
        {
            throw new CliException("give an experiment ID, or --machine NAME (repeatable), or --box BOX --socket N");
        }

        if (request.ExperimentId is not null && (request.From is not null || request.To is not null))
        {
            throw new CliException("an experiment is plotted over its own run: drop --from/--to (zoom with --phase NAME)");
        }

        if (request.ExperimentId is null && request.From is null)
        {
            throw new CliException("--machine and --box need --from (and --to, default now)");
        }

        if (request.Phase is not null && request.ExperimentId is null)
        {
            throw new CliException("--phase needs an experiment ID");
        }


        if (request.WidthPixels is < 200 or > 10_000 || request.HeightPixels is < 150 or > 10_000)
        {
            throw new CliException($"--width {request.WidthPixels} --height {request.HeightPixels}: give 200 to 10000 by 150 to 10000 pixels");
        }
    }

    private static async Task<Chart> ExperimentChartAsync(FleetApiClient client, PlotRequest request, CancellationToken cancellationToken)
    {
        var experiment = await client.GetExperimentAsync(request.ExperimentId!, cancellationToken).ConfigureAwait(false);
        if (experiment.StartedAt is not { } start)
        {
            throw new CliException($"experiment {experiment.Id} has not started: nothing to plot yet");
        }

        // The phases are the silo's (the windows their energy was counted over); the last one of a running experiment is open.
        var end = experiment.FinishedAt ?? DateTimeOffset.UtcNow;
        var phases = experiment.Phases.Select(p => new PhaseSpan(p.Name, p.From, p.To ?? end)).ToList();
        var title = $"experiment {experiment.Id} \"{experiment.Name}\"";
        if (request.Phase is { } name)
        {
            var chosen = phases.FirstOrDefault(p => p.Name == name)
                ?? throw new CliException(phases.Count == 0
                    ? $"experiment {experiment.Id} has no phases (mark them with 'fleet exp mark')"
                    : $"experiment {experiment.Id} has no phase '{name}' (its phases: {string.Join(", ", phases.Select(p => p.Name))})");
            (start, end) = (chosen.From, chosen.To);
            phases = [chosen];
            title += $", phase {name}";
        }

        return new Chart(title, start, end, [.. experiment.Machines.Select(PowerTarget.Machine)], phases);
    }

    private static Chart WindowChart(PlotRequest request)
    {
        var (start, end) = GlobalOptions.ParseWindow(request.From!, request.To);
        var targets = request.Box is { } box
            ? [PowerTarget.Socket(box, request.Socket!.Value)]
            : request.Machines.Distinct(StringComparer.Ordinal).Select(PowerTarget.Machine).ToList();
        var title = request.Box is not null ? $"box {request.Box} socket {request.Socket}" : string.Join(", ", targets.Select(t => t.Label));
        return new Chart(title, start, end, targets, []);
    }

    private static async Task RenderAsync(FleetApiClient client, PlotRequest request, Chart chart, bool json, CancellationToken cancellationToken)
    {
        // The silo picks the resolution (raw 10 ms frames, or whole seconds over long windows) and says which: one step for every line.
        var lines = new List<PowerLine>();
        double? stepSeconds = null;
        foreach (var target in chart.Targets)
        {
            var series = await client.GetSeriesAsync(target, chart.Start, chart.End, FinestStep, cancellationToken).ConfigureAwait(false);
            if (stepSeconds is null && series.StepSeconds > FrameLayout.FramePeriodSeconds)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"fleet plot: the window is {(chart.End - chart.Start).TotalHours:F1} h, longer than the silo serves raw 10 ms frames for: plotting {series.StepSeconds:0} s means instead")).ConfigureAwait(false);
            }

            stepSeconds = series.StepSeconds;
            lines.Add(new PowerLine(target.Label, [.. series.Points.Select(p => p.Time.UtcDateTime)], [.. series.Points.Select(p => p.MeanWatts)]));
        }

        if (lines.All(l => l.Watts.Count == 0))
        {
            throw new CliException($"no power data for {string.Join(", ", chart.Targets.Select(t => t.Label))} from {IsoTime.Format(chart.Start)} to {IsoTime.Format(chart.End)}");
        }

        var step = stepSeconds ?? FrameLayout.FramePeriodSeconds;
        var averageFrames = request.AverageFrames ?? AutoAverageFrames(chart.End - chart.Start);
        var windowPoints = Math.Max(1, (int)Math.Round(averageFrames * FrameLayout.FramePeriodSeconds / step));
        var averageSeconds = windowPoints * step;
        var title = $"{chart.Title}: power, {Short(chart.Start)} to {Short(chart.End)} UTC";
        var rawLabel = step <= FrameLayout.FramePeriodSeconds ? "10 ms frames" : string.Create(CultureInfo.InvariantCulture, $"{step:0} s means");
        var averageLabel = string.Create(CultureInfo.InvariantCulture, $"moving average {averageSeconds:0.##} s");
        PowerChart.Render(request.OutputPath, title, lines, chart.Phases, windowPoints, rawLabel, averageLabel, request.ZeroBased, request.WidthPixels, request.HeightPixels);

        Console.WriteLine(json
            ? CliJson.Write(new PlotSummary(
                request.OutputPath,
                IsoTime.Format(chart.Start),
                IsoTime.Format(chart.End),
                step,
                averageSeconds,
                [.. lines.Select(l => new PlotLineSummary(l.Label, l.Watts.Count))],
                [.. chart.Phases.Select(p => p.Name)]))
            : $"{request.OutputPath}: {string.Join(", ", lines.Select(l => $"{l.Label} {l.Watts.Count} points"))}");
    }

    /// <summary>
    /// The default smoothing: 1 % of the plotted time, at least one frame. Over a 16 s run that is
    /// 0.16 s, which evens out the frames' noise but keeps a 4 s square wave square (2 s made it a
    /// triangle); over an hour, 36 s.
    /// </summary>
    internal static int AutoAverageFrames(TimeSpan window) =>
        Math.Max(1, (int)Math.Round(window.TotalSeconds * AutoAverageShare * FrameLayout.FramesPerSecond));

    /// <summary>--moving-average: a number of frames, or null for auto.</summary>
    private static int? ParseAverage(string text) =>
        text.Equals(Auto, StringComparison.OrdinalIgnoreCase) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var frames) && frames >= 1 ? frames
        : throw new CliException($"--moving-average {text}: give a number of 10 ms frames (1 or more) or auto");

    private static string Short(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed record PlotRequest(
        string? ExperimentId,
        string[] Machines,
        string? Box,
        int? Socket,
        string? From,
        string? To,
        string OutputPath,
        int? AverageFrames,
        bool ZeroBased,
        string? Phase,
        int WidthPixels,
        int HeightPixels);

    private sealed record Chart(string Title, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<PowerTarget> Targets, IReadOnlyList<PhaseSpan> Phases);
}
