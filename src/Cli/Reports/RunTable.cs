using System.Globalization;
using System.Text;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Runs;

namespace Fleet.Cli.Reports;

/// <summary>
/// What a submitted experiment adds to its report: the command, each machine's run and exit
/// code, why it failed, warnings, the idle baseline, and wall against components per machine and
/// phase as the silo computed it. A number the silo could not know is "—" with a footnote saying
/// why, never 0 J.
/// </summary>
internal static class RunTable
{
    private const string Missing = "—";

    public static void Append(StringBuilder output, ExperimentResponse experiment)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(experiment);
        if (experiment.Run is { } run)
        {
            var baseline = run.IdleBaselineSeconds > 0 ? $" (idle baseline {Units.Duration(run.IdleBaselineSeconds)} before it)" : string.Empty;
            output.AppendLine(CultureInfo.InvariantCulture, $"  command: {string.Join(' ', run.Command.Select(Quote))}{baseline}");
        }

        foreach (var machineRun in experiment.Runs ?? [])
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  run on {machineRun.Machine}{(machineRun.Host is null ? string.Empty : $" (host {machineRun.Host})")}: {Outcome(machineRun)}");
        }

        if (experiment.Reason is { } reason)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  reason: {reason}");
        }

        foreach (var warning in experiment.Warnings ?? [])
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  warning: {warning}");
        }

        foreach (var idle in experiment.Baseline ?? [])
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  idle baseline of {idle.Machine}: {idle.MeanWatts:F1} W mean over {Units.Duration(idle.DurationSeconds)} ({Units.Energy(idle.Joules)}, coverage {idle.Coverage * 100:F1}%)");
        }

        if (experiment.Comparison is { Count: > 0 } rows)
        {
            AppendComparison(output, rows);
        }
    }

    /// <summary>A status while the experiment waits or measures its baseline, where the energy table would be.</summary>
    public static string? Waiting(ExperimentResponse experiment) => experiment.Status switch
    {
        ExperimentStatus.Queued => "  (queued: waiting for its machines; fleet queue shows what holds them)",
        ExperimentStatus.Baseline => "  (measuring the machines' idle baseline: the command starts after it)",
        _ => null,
    };

    private static void AppendComparison(StringBuilder output, IReadOnlyList<ComparisonRowResponse> rows)
    {
        var notes = new List<string>();
        string Note(string text)
        {
            var index = notes.IndexOf(text);
            if (index < 0)
            {
                notes.Add(text);
                index = notes.Count - 1;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{Missing} [{index + 1}]");
        }

        string Component(ComparisonRowResponse row, string component, double? joules) =>
            joules is { } value ? Units.Energy(value)
            : Note($"{component} on {row.Machine}: {(row.Missing.TryGetValue(component, out var why) ? why : "not measured")}");

        output.AppendLine("  wall against components (excess: power supply, fans, disks, … what RAPL and the GPU do not see):");
        output.AppendLine(CultureInfo.InvariantCulture, $"  {"MACHINE",-16} {"PHASE",-14} {"WALL",12} {"RAPL",12} {"GPU",12} {"COMPONENTS",12} {"EXCESS",12} {"EXCESS %",9} {"DYNAMIC",12}");
        foreach (var row in rows)
        {
            var rapl = Component(row, "rapl", row.RaplJoules);
            var gpu = Component(row, "gpu", row.GpuJoules);
            var components = row.ComponentJoules is { } total ? Units.Energy(total) : Missing;
            var excess = row.ExcessJoules is { } joules ? Units.Energy(joules) : Missing;
            var percent = row.ExcessPercent is { } share ? string.Create(CultureInfo.InvariantCulture, $"{share:+0.0;-0.0;0.0}%") : Missing;
            var dynamic = row.DynamicJoules is { } above ? Units.Energy(above) : Note($"dynamic on {row.Machine}: no idle baseline measured (submit with --idle-baseline 30s)");
            output.AppendLine(CultureInfo.InvariantCulture, $"  {row.Machine,-16} {PhaseName(row.Phase),-14} {Units.Energy(row.WallJoules),12} {rapl,12} {gpu,12} {components,12} {excess,12} {percent,9} {dynamic,12}");
        }

        for (var i = 0; i < notes.Count; i++)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  [{i + 1}] {notes[i]}");
        }

        var sources = rows
            .SelectMany(r => r.Sources.Select(s => (Component: s.Key, Source: s.Value, r.Machine)))
            .Distinct()
            .GroupBy(s => (s.Component, s.Source))
            .Select(g => $"{g.Key.Component} on {string.Join(", ", g.Select(s => s.Machine).Distinct(StringComparer.Ordinal))}: {g.Key.Source}")
            .ToList();
        if (sources.Count > 0)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  sources: {string.Join("; ", sources)}");
        }
    }

    private static string Outcome(MachineRunResponse run)
    {
        var window = run.StartedAt is { } started
            ? run.EndedAt is { } ended ? $", {Units.Duration((ended - started).TotalSeconds)}" : $", since {Units.Clock(started)} UTC"
            : string.Empty;
        return (run.ExitCode, run.Error, run.EndedAt) switch
        {
            ({ } code, null, _) => string.Create(CultureInfo.InvariantCulture, $"exit {code}{window}"),
            ({ } code, { } error, _) => string.Create(CultureInfo.InvariantCulture, $"exit {code}{window}: {error}"),
            (null, { } error, _) => $"failed{window}: {error}",
            (null, null, null) when run.StartedAt is null => "not started",
            (null, null, null) => $"running{window}",
            _ => $"ended without an exit code{window}",
        };
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string PhaseName(string phase) => string.IsNullOrEmpty(phase) ? "(all)" : phase;
}
