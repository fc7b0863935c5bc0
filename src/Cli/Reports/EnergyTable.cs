using System.Globalization;
using System.Text;
using Fleet.Api.Contracts.Experiments;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Reports;

/// <summary>Renders experiments' energy per machine and phase as a table or CSV, as the silo computed it.</summary>
internal static class EnergyTable
{
    private const int CellWidth = 32;

    public static string Text(IReadOnlyList<ExperimentResponse> experiments)
    {
        var output = new StringBuilder();
        var partial = false;
        foreach (var experiment in experiments)
        {
            output.AppendLine(Heading(experiment));
            if (experiment.Phases.Count > 0)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"  phases: {string.Join(", ", experiment.Phases.Select(Phase))}");
            }

            if (experiment.Results.Count == 0)
            {
                output.AppendLine(RunTable.Waiting(experiment) ?? NoResults(experiment));
                RunTable.Append(output, experiment);
                continue;
            }

            if (experiment.Status == ExperimentStatus.Running && experiment.ResultsUntil is { } until && experiment.StartedAt is { } started)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"  energy so far: {Units.Duration((until - started).TotalSeconds)}, up to {Units.Clock(until)} UTC (the newest frame stored)");
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14} {"SECONDS",9} {"ENERGY",12} {"MEAN W",9} {"PEAK W",9} {"COVERAGE",9}");
            foreach (var r in experiment.Results)
            {
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"  {r.Machine,-16} {PhaseName(r.Phase),-14} {r.DurationSeconds,9:F1} {Units.Energy(r.Joules),12} {r.MeanWatts,9:F1} {r.PeakWatts,9:F1} {r.Coverage * 100,8:F1}%");
                partial |= r.Coverage < 0.9995;
            }

            RunTable.Append(output, experiment);
        }

        if (partial)
        {
            output.AppendLine("  coverage: the share of each phase's 10 ms frames that are present; energy counts those frames only, mean W is over the time they cover.");
        }

        return output.ToString();
    }

    /// <summary>
    /// Experiments side by side, per machine and phase: mean power (comparable whatever each
    /// run's length) with its change against the first experiment, and the energy.
    /// </summary>
    public static string Comparison(IReadOnlyList<ExperimentResponse> experiments)
    {
        var results = experiments.Select(e => e.Results.ToDictionary(r => (r.Machine, r.Phase))).ToList();
        // Machines by name; within one, phases in the order the silo gives them (whole, unmarked, marks in time order).
        var rows = results.SelectMany(r => r.Keys).Distinct().OrderBy(k => k.Machine, StringComparer.Ordinal).ToList();
        var output = new StringBuilder("side by side (mean power, its change against the first experiment, and energy):\n");
        output.Append(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14}");
        foreach (var experiment in experiments)
        {
            output.Append(CultureInfo.InvariantCulture, $" {Truncate(experiment.Id, CellWidth),CellWidth}");
        }

        output.AppendLine();
        output.Append(CultureInfo.InvariantCulture, $"  {string.Empty,-16} {"(length)",-14}");
        foreach (var experiment in experiments)
        {
            var length = experiment.StartedAt is { } start && (experiment.FinishedAt ?? experiment.ResultsUntil) is { } end ? Units.Duration((end - start).TotalSeconds) : "-";
            output.Append(CultureInfo.InvariantCulture, $" {length,CellWidth}");
        }

        output.AppendLine();
        foreach (var key in rows)
        {
            output.Append(CultureInfo.InvariantCulture, $"  {key.Machine,-16} {PhaseName(key.Phase),-14}");
            var first = results[0].TryGetValue(key, out var baseline) ? baseline.MeanWatts : (double?)null;
            for (var i = 0; i < results.Count; i++)
            {
                string cell;
                if (!results[i].TryGetValue(key, out var result))
                {
                    cell = "-";
                }
                else
                {
                    var change = i == 0 || first is not > 0 ? string.Empty
                        : string.Create(CultureInfo.InvariantCulture, $" ({(result.MeanWatts - first.Value) / first.Value * 100:+0.0;-0.0;0.0}%)");
                    cell = string.Create(CultureInfo.InvariantCulture, $"{result.MeanWatts:F1} W{change}  {Units.Energy(result.Joules)}");
                }

                output.Append(CultureInfo.InvariantCulture, $" {cell,CellWidth}");
            }

            output.AppendLine();
        }

        return output.ToString();
    }

    public static string Csv(IReadOnlyList<ExperimentResponse> experiments)
    {
        var output = new StringBuilder("experiment,machine,phase,from,to,seconds,joules,mean_watts,peak_watts,frames,frames_expected,frames_interpolated,coverage,covered_from,covered_to,covered_seconds,rapl_joules,gpu_joules,component_joules,excess_joules,excess_percent,dynamic_joules\n");
        foreach (var experiment in experiments)
        {
            // Wall against components, when the experiment ran a command: empty cells otherwise and where not measured.
            var comparison = (experiment.Comparison ?? []).ToDictionary(c => (c.Machine, c.Phase));
            foreach (var r in experiment.Results)
            {
                var c = comparison.GetValueOrDefault((r.Machine, r.Phase));
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
                    Number(r.Coverage),
                    r.CoveredFrom is { } coveredFrom ? IsoTime.Format(coveredFrom) : string.Empty,
                    r.CoveredTo is { } coveredTo ? IsoTime.Format(coveredTo) : string.Empty,
                    Number(r.CoveredSeconds),
                    Optional(c?.RaplJoules),
                    Optional(c?.GpuJoules),
                    Optional(c?.ComponentJoules),
                    Optional(c?.ExcessJoules),
                    Optional(c?.ExcessPercent),
                    Optional(c?.DynamicJoules)));
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
                : $"{Short(started)} → {Short(finished)} ({Units.Duration((finished - started).TotalSeconds)})";
        return $"experiment {experiment.Id} \"{experiment.Name}\" {Status(experiment.Status)}, {window} UTC";
    }

    private static string NoResults(ExperimentResponse experiment) => experiment.Status switch
    {
        ExperimentStatus.Submitted => "  (not started yet: no energy)",
        ExperimentStatus.Cancelled => "  (cancelled: no energy is computed for a cancelled experiment)",
        ExperimentStatus.Running => "  (no frame stored since it started yet: no energy so far)",
        _ => "  (no energy recorded)",
    };

    private static string Phase(PhaseResponse phase) => phase.To is { } to
        ? $"{phase.Name} {TimeOfDay(phase.From)} → {TimeOfDay(to)}"
        : $"{phase.Name} from {TimeOfDay(phase.From)} (running)";

    private static string TimeOfDay(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string PhaseName(string phase) => string.IsNullOrEmpty(phase) ? "(all)" : phase;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Short(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Optional(double? value) => value is { } number ? Number(number) : string.Empty;
}
