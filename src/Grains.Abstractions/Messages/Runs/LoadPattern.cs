namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// A pseudo-random on/off CPU load: <paramref name="Slots"/> slots of <paramref name="SlotSeconds"/>,
/// each on or off as drawn from <paramref name="Seed"/>. The runner drives it; the silo correlates
/// every socket's power with it. Both sides derive the same slots from the seed, so only the seed
/// and the time it started travel.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.LoadPattern")]
public sealed record LoadPattern(
    [property: Id(0)] int Seed,
    [property: Id(1)] int Slots,
    [property: Id(2)] double SlotSeconds)
{
    public double DurationSeconds => Slots * SlotSeconds;

    /// <summary>Whether slot <paramref name="slot"/> (0-based) is on. Implemented by LoadPatternSlots.</summary>
    public bool IsOn(int slot) => LoadPatternSlots.IsOn(this, slot);
}
