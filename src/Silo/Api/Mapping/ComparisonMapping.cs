using Fleet.Api.Contracts.Runs;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Experiments;

namespace Fleet.Silo.Api.Mapping;

/// <summary>
/// Wall against components per machine and phase: the one place the API computes it, so the CLI,
/// scripts and dashboards show the same numbers. A component the runner did not measure stays
/// null (with its reason), never 0 J, and a sum over nothing is null too.
/// </summary>
internal static class ComparisonMapping
{
    public const string Rapl = "rapl";
    public const string Gpu = "gpu";

    /// <summary>A row per wall result of a submitted experiment; null for an experiment without a command.</summary>
    public static IReadOnlyList<ComparisonRowResponse>? Comparison(this ExperimentInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Run is null)
        {
            return null;
        }

        var components = (info.Components ?? []).ToLookup(c => (c.Machine, c.Phase));
        var baselineWatts = (info.Baseline ?? [])
            .Where(b => b.Phase == PhaseNames.IdleBaseline && b.CoveredSeconds > 0)
            .GroupBy(b => b.Machine)
            .ToDictionary(g => g.Key, g => g.First().MeanWatts);
        return [.. info.Results.Select(wall => Row(wall, [.. components[(wall.Machine, wall.Phase)]], baselineWatts.TryGetValue(wall.Machine, out var watts) ? watts : null))];
    }

    private static ComparisonRowResponse Row(EnergyResult wall, IReadOnlyList<Grains.Abstractions.Messages.Runs.ComponentEnergyResult> components, double? idleBaselineWatts)
    {
        double? Joules(string component) => components.FirstOrDefault(c => c.Component == component)?.Joules;
        var rapl = Joules(Rapl);
        var gpu = Joules(Gpu);

        var row = WallComponentRow.Compute(wall.Machine, wall.Phase, wall.Joules, wall.DurationSeconds, rapl, gpu, idleBaselineWatts);
        return new ComparisonRowResponse(
            row.Machine,
            row.Phase,
            row.DurationSeconds,
            row.WallJoules,
            row.RaplJoules,
            row.GpuJoules,
            row.ComponentJoules,
            row.ExcessJoules,
            row.ExcessPercent,
            row.DynamicJoules,
            row.IdleBaselineWatts,
            components.Where(c => c.Joules is not null).ToDictionary(c => c.Component, c => c.Source, StringComparer.Ordinal),
            components.Where(c => c.Joules is null).ToDictionary(c => c.Component, c => c.Missing ?? "not measured", StringComparer.Ordinal));
    }
}
