using System.Globalization;
using System.Text;
using Fleet.Api.Contracts.Experiments;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Reports;

/// <summary>Renders experiments' energy per machine and phase as a table or CSV.</summary>
internal static class EnergyTable
{
    public static string Text(IReadOnlyList<ExperimentResponse> experiments)
    {
        var output = new StringBuilder();
        foreach (var experiment in experiments)
        {
            output.AppendLine(Heading(experiment));
            if (experiment.Results.Count == 0)
            {
                output.AppendLine("  (no energy yet: the experiment has not finished)");
                continue;
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14} {"SECONDS",9} {"JOULES",12} {"MEAN W",9} {"PEAK W",9} {"COVERAGE",9}");
            foreach (var r in experiment.Results)
            {
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"  {r.Machine,-16} {Phase(r.Phase),-14} {r.DurationSeconds,9:F1} {r.Joules,12:F1} {r.MeanWatts,9:F1} {r.PeakWatts,9:F1} {r.Coverage * 100,8:F1}%");
            }
        }

        return output.ToString();
    }

    /// <summary>Experiments side by side: joules per machine and phase, and each one's change against the first.</summary>
    public static string Comparison(IReadOnlyList<ExperimentResponse> experiments)
    {
        var joules = experiments.Select(e => e.Results.ToDictionary(r => (r.Machine, r.Phase), r => r.Joules)).ToList();
        var rows = joules.SelectMany(j => j.Keys).Distinct().OrderBy(k => k.Machine, StringComparer.Ordinal).ThenBy(k => k.Phase, StringComparer.Ordinal).ToList();
        var output = new StringBuilder("side by side (joules; change against the first experiment):\n");
        output.Append(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14}");
        foreach (var experiment in experiments)
        {
            output.Append(CultureInfo.InvariantCulture, $" {Truncate(experiment.Id, 26),26}");
        }

        output.AppendLine();
        foreach (var (machine, phase) in rows)
        {
            output.Append(CultureInfo.InvariantCulture, $"  {machine,-16} {Phase(phase),-14}");
            var first = joules[0].TryGetValue((machine, phase), out var baseline) ? baseline : (double?)null;
            foreach (var values in joules)
            {
                var cell = !values.TryGetValue((machine, phase), out var value) ? "-"
                    : ReferenceEquals(values, joules[0]) || first is not > 0 ? value.ToString("F1", CultureInfo.InvariantCulture)
                    : string.Create(CultureInfo.InvariantCulture, $"{value:F1} ({(value - first.Value) / first.Value * 100:+0.0;-0.0;0.0}%)");
                output.Append(CultureInfo.InvariantCulture, $" {cell,26}");
            }

            output.AppendLine();
        }

        return output.ToString();
    }

    public static string Csv(IReadOnlyList<ExperimentResponse> experiments)
    {
        var output = new StringBuilder("experiment,machine,phase,from,to,seconds,joules,mean_watts,peak_watts,frames,frames_expected,frames_interpolated,coverage\n");
        foreach (var experiment in experiments)
        {
            foreach (var r in experiment.Results)
            {
                output.AppendLine(string.Join(',',
                    experiment.Id,
                    r.Machine,
                    r.Phase,
                    IsoTime.Format(r.From),
                    IsoTime.Format(r.To),
                    Number(r.DurationSeconds),
                    Number(r.Joules),
                    Number(r.MeanWatts),
                    Number(r.PeakWatts),
                    r.Frames.ToString(CultureInfo.InvariantCulture),
                    r.FramesExpected.ToString(CultureInfo.InvariantCulture),
                    r.FramesInterpolated.ToString(CultureInfo.InvariantCulture),
                    Number(r.Coverage)));
            }
        }

        return output.ToString();
    }

    /// <summary>A status as the API writes it: <c>running</c>, <c>finished</c> ….</summary>
    public static string Status(ExperimentStatus status) => status.ToString().ToLowerInvariant();

    private static string Heading(ExperimentResponse experiment)
    {
        var window = experiment.StartedAt is not { } started
            ? "not started"
            : experiment.FinishedAt is not { } finished
                ? $"since {Short(started)}"
                : $"{Short(started)} → {Short(finished)} ({(finished - started).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)";
        return $"experiment {experiment.Id} \"{experiment.Name}\" {Status(experiment.Status)}, {window} UTC";
    }

    private static string Phase(string phase) => string.IsNullOrEmpty(phase) ? "(all)" : phase;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Short(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
