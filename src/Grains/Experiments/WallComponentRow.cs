namespace Fleet.Grains.Experiments;

/// <summary>
/// One machine over one phase: what the wall socket read against what the components' own
/// meters said. Null means not measured, never 0 J.
/// </summary>
/// <param name="ComponentJoules">RAPL + GPU, over the components measured; null when none was.</param>
/// <param name="ExcessJoules">Wall minus components: power supply losses, fans, disks, NICs, the board.</param>
/// <param name="ExcessPercent">The excess relative to the components: "the wall read 36 % more than RAPL + nvidia-smi".</param>
/// <param name="DynamicJoules">Wall minus the idle baseline's mean power over the phase: what running the command added.</param>
public sealed record WallComponentRow(
    string Machine,
    string Phase,
    double WallJoules,
    double DurationSeconds,
    double? RaplJoules,
    double? GpuJoules,
    double? ComponentJoules,
    double? ExcessJoules,
    double? ExcessPercent,
    double? IdleBaselineWatts,
    double? DynamicJoules)
{
    public static WallComponentRow Compute(
        string machine,
        string phase,
        double wallJoules,
        double durationSeconds,
        double? raplJoules,
        double? gpuJoules,
        double? idleBaselineWatts)
    {
        ArgumentException.ThrowIfNullOrEmpty(machine);
        // "" is the whole experiment.
        ArgumentNullException.ThrowIfNull(phase);
        ArgumentOutOfRangeException.ThrowIfNegative(durationSeconds);
        double? components = raplJoules is null && gpuJoules is null ? null : (raplJoules ?? 0) + (gpuJoules ?? 0);
        var excess = wallJoules - components;
        // A percentage of nothing says nothing: no excess ratio over a zero component reading.
        var excessPercent = components > 0 ? excess / components * 100 : null;
        var dynamic = wallJoules - (idleBaselineWatts * durationSeconds);
        return new WallComponentRow(machine, phase, wallJoules, durationSeconds, raplJoules, gpuJoules, components, excess, excessPercent, idleBaselineWatts, dynamic);
    }
}
