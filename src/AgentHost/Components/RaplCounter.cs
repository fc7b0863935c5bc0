namespace Fleet.AgentHost.Components;

/// <summary>How a RAPL <c>energy_uj</c> counter advanced between two reads, across at most one wrap.</summary>
public static class RaplCounter
{
    /// <summary>
    /// Microjoules from <paramref name="previous"/> to <paramref name="current"/>. The kernel's
    /// counter runs from 0 to <c>max_energy_range_uj</c> and starts again at 0, so a reading
    /// below the previous one wrapped once: max − previous + current. (The hardware wraps one
    /// counter unit, about 61 µJ, past max; that sub-millijoule per wrap is not worth guessing
    /// the unit for.) Two wraps between reads are indistinguishable from one: a package at 250 W
    /// wraps a 32-bit counter every ~17 minutes, DRAM with its finer unit every few minutes, so
    /// reads at least once a second (the recorder's default) never miss one.
    /// </summary>
    public static ulong DeltaMicrojoules(ulong previous, ulong current, ulong maxRangeMicrojoules) =>
        current >= previous ? current - previous : maxRangeMicrojoules - previous + current;
}
