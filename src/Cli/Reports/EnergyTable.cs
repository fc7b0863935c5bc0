using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fleet.Cli.Reports;

/// <summary>Renders experiments' energy per machine and phase as a table or CSV.</summary>
internal static class EnergyTable
{
    public static string Text(IReadOnlyList<JsonElement> experiments)
    {
        var output = new StringBuilder();
        foreach (var experiment in experiments)
        {
            output.AppendLine(Heading(experiment));
            var results = experiment.GetProperty("results");
            if (results.GetArrayLength() == 0)
            {
                output.AppendLine("  (no energy yet: the experiment has not finished)");
                continue;
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14} {"SECONDS",9} {"JOULES",12} {"MEAN W",9} {"PEAK W",9} {"COVERAGE",9}");
            foreach (var r in results.EnumerateArray())
            {
                var phase = r.GetProperty("phase").GetString();
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"  {r.GetProperty("machine").GetString(),-16} {(string.IsNullOrEmpty(phase) ? "(all)" : phase),-14} {r.GetProperty("duration_seconds").GetDouble(),9:F1} {r.GetProperty("joules").GetDouble(),12:F1} {r.GetProperty("mean_watts").GetDouble(),9:F1} {r.GetProperty("peak_watts").GetDouble(),9:F1} {r.GetProperty("coverage").GetDouble() * 100,8:F1}%");
            }
        }

        return output.ToString();
    }

    /// <summary>Experiments side by side: joules per machine and phase, and each one's change against the first.</summary>
    public static string Comparison(IReadOnlyList<JsonElement> experiments)
    {
        var ids = experiments.Select(e => e.GetProperty("id").GetString()!).ToList();
        var joules = experiments.Select(e => e.GetProperty("results").EnumerateArray().ToDictionary(
            r => (r.GetProperty("machine").GetString()!, r.GetProperty("phase").GetString()!),
            r => r.GetProperty("joules").GetDouble())).ToList();
        var rows = joules.SelectMany(j => j.Keys).Distinct().OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal).ToList();
        var output = new StringBuilder("side by side (joules; change against the first experiment):\n");
        output.Append(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14}");
        foreach (var id in ids)
        {
            output.Append(CultureInfo.InvariantCulture, $" {Truncate(id, 26),26}");
        }

        output.AppendLine();
        foreach (var (machine, phase) in rows)
        {
            output.Append(CultureInfo.InvariantCulture, $"  {machine,-16} {(string.IsNullOrEmpty(phase) ? "(all)" : phase),-14}");
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

    public static string Csv(IReadOnlyList<JsonElement> experiments)
    {
        var output = new StringBuilder("experiment,machine,phase,from,to,seconds,joules,mean_watts,peak_watts,frames,frames_expected,frames_interpolated,coverage\n");
        foreach (var experiment in experiments)
        {
            foreach (var r in experiment.GetProperty("results").EnumerateArray())
            {
                output.AppendLine(string.Join(',',
                    experiment.GetProperty("id").GetString(),
                    r.GetProperty("machine").GetString(),
                    r.GetProperty("phase").GetString(),
                    r.GetProperty("from").GetDateTimeOffset().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    r.GetProperty("to").GetDateTimeOffset().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    Number(r, "duration_seconds"),
                    Number(r, "joules"),
                    Number(r, "mean_watts"),
                    Number(r, "peak_watts"),
                    r.GetProperty("frames").GetInt64().ToString(CultureInfo.InvariantCulture),
                    r.GetProperty("frames_expected").GetInt64().ToString(CultureInfo.InvariantCulture),
                    r.GetProperty("frames_interpolated").GetInt64().ToString(CultureInfo.InvariantCulture),
                    Number(r, "coverage")));
            }
        }

        return output.ToString();
    }

    private static string Heading(JsonElement experiment)
    {
        var started = experiment.GetProperty("started_at");
        var finished = experiment.GetProperty("finished_at");
        var window = started.ValueKind == JsonValueKind.Null
            ? "not started"
            : finished.ValueKind == JsonValueKind.Null
                ? $"since {Short(started)}"
                : $"{Short(started)} → {Short(finished)} ({(finished.GetDateTimeOffset() - started.GetDateTimeOffset()).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)";
        return $"experiment {experiment.GetProperty("id").GetString()} \"{experiment.GetProperty("name").GetString()}\" {experiment.GetProperty("status").GetString()}, {window} UTC";
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Short(JsonElement time) => time.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Number(JsonElement element, string property) => element.GetProperty(property).GetDouble().ToString("R", CultureInfo.InvariantCulture);
}
