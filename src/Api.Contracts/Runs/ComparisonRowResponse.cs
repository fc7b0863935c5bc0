using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>
/// Wall against components on one machine over one phase: what the socket measured, what RAPL
/// and the GPU reported, and the difference (power supply losses, fans, disks, memory not in
/// RAPL). Computed by the silo, once; null where a number cannot be known.
/// </summary>
public sealed record ComparisonRowResponse(
    string Machine,
    string Phase,
    double DurationSeconds,
    double WallJoules,
    double? RaplJoules,
    double? GpuJoules,
    [property: Description("The sum of the components measured; null when none was.")] double? ComponentJoules,
    [property: Description("wall_joules - component_joules.")] double? ExcessJoules,
    [property: Description("(wall - components) / components × 100.")] double? ExcessPercent,
    [property: Description("wall_joules - idle baseline mean watts × duration_seconds; null without an idle baseline.")] double? DynamicJoules,
    [property: Description("The machine's mean wall power over its idle baseline; null without one.")] double? IdleBaselineWatts,
    [property: Description("Each measured component's source, by component.")] IReadOnlyDictionary<string, string> Sources,
    [property: Description("Why each missing component was not measured, by component.")] IReadOnlyDictionary<string, string> Missing);
