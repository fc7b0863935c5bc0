namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>The on/off slots of a <see cref="LoadPattern"/>, the same on the runner and the silo.</summary>
public static class LoadPatternSlots
{
    public static bool IsOn(LoadPattern pattern, int slot)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, pattern.Slots);
        // Placeholder until the identification work lands: alternate.
        return slot % 2 == 1;
    }
}
