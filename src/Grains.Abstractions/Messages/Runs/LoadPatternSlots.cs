namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// The on/off slots of a <see cref="LoadPattern"/>, the same on the runner and the silo: the first
/// slot off (a reference before any load), then exactly half of all slots on, shuffled by a
/// seeded SplitMix64. The generator is written out here rather than taken from
/// <see cref="Random"/>, whose sequence for a seed is not promised across .NET versions: a runner
/// and a silo on different runtimes must still agree on every slot.
/// </summary>
public static class LoadPatternSlots
{
    /// <summary>
    /// Slot length of <see cref="Default"/>. A runner starts and stops its load within a few ms,
    /// but where its slots fall on the meters' time line is uncertain by the runner's clock offset
    /// (tens of ms), the box clock model (~10 ms) and, on a simulated box wired to the runner, the
    /// load signal's ~100 ms sampling. 1 s slots leave 0.6 s of settled power per slot after the
    /// identifier's guards (0.3 s at the start, 0.1 s at the end), about 60 frames.
    /// </summary>
    public const double DefaultSlotSeconds = 1.0;

    /// <summary>
    /// Slots of <see cref="Default"/>: 30 s in all. With 15 slots on and 15 off, a socket that does
    /// not follow the load has a correlation with it of about ±1/√29 ≈ ±0.19 (one standard
    /// deviation), so the identifier's 0.8 needs no luck and its 0.5 ceiling for the others is
    /// rarely reached by chance.
    /// </summary>
    public const int DefaultSlots = 30;

    /// <summary>The pattern <c>fleet sockets identify</c> drives: <see cref="DefaultSlots"/> slots of <see cref="DefaultSlotSeconds"/>.</summary>
    public static LoadPattern Default(int seed) => new(seed, DefaultSlots, DefaultSlotSeconds);

    public static bool IsOn(LoadPattern pattern, int slot)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, pattern.Slots);
        return All(pattern)[slot];
    }

    /// <summary>Every slot of the pattern, in order: slot 0 off, then Slots / 2 of the rest on.</summary>
    public static IReadOnlyList<bool> All(LoadPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfLessThan(pattern.Slots, 1);
        var slots = new bool[pattern.Slots];
        // Slots 1.. start as "on" for the first half, then a Fisher–Yates shuffle of slots 1.. only.
        for (var k = 1; k <= pattern.Slots / 2; k++)
        {
            slots[k] = true;
        }

        var state = unchecked((ulong)(uint)pattern.Seed);
        for (var k = pattern.Slots - 1; k > 1; k--)
        {
            // Index in [1, k]: modulo bias is below 2^-58 for any realistic slot count.
            var j = 1 + (int)(NextSplitMix64(ref state) % (ulong)k);
            (slots[k], slots[j]) = (slots[j], slots[k]);
        }

        return slots;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014): a full-period 64-bit generator in three lines, the same everywhere.</summary>
    private static ulong NextSplitMix64(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
