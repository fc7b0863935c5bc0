using System.Globalization;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Identification;

/// <summary>
/// Finds which socket (or two sockets, for a machine with two power supplies) a machine is on from
/// power alone: while its runner drove a <see cref="LoadPattern"/>, the socket whose per-slot mean
/// power goes up and down with the on/off slots is the machine's. Refuses rather than guesses when
/// no socket, or more than two, stand clearly above the rest.
/// </summary>
public static class SocketIdentifier
{
    /// <summary>
    /// A socket is proposed only from this correlation up. Noise and other machines' loads give
    /// about ±0.19 per standard deviation over 30 slots (see <see cref="LoadPatternSlots.DefaultSlots"/>);
    /// the machine's own socket gives 0.95 or more with a few watts of load over noise.
    /// </summary>
    public const double ProposeFromCorrelation = 0.8;

    /// <summary>Every socket not proposed must stay below this, so the proposed ones stand clearly above the rest (about 2.7 standard deviations of chance).</summary>
    public const double OthersBelowCorrelation = 0.5;

    /// <summary>A machine has one power supply or two; three sockets following one load is not one machine.</summary>
    public const int MaxProposed = 2;

    /// <summary>
    /// The part of each slot ignored at its start: the load starting on the runner's clock, the
    /// clock offset to the cluster, the box's clock model and a wired simulated box's ~100 ms
    /// signal all put the change up to a few hundred ms late on the meters' time line.
    /// </summary>
    public const double SettleSeconds = 0.3;

    /// <summary>The part of each slot ignored at its end: a runner whose clock runs a little ahead ends its slot early.</summary>
    public const double EarlyEndSeconds = 0.1;

    /// <summary>
    /// Correlates every candidate socket's power with the pattern that started at
    /// <paramref name="patternStart"/> (cluster time).
    /// </summary>
    /// <param name="candidates">
    /// Every socket that may be the machine's, with its power over the pattern: 10 ms frames, as
    /// <see cref="BoxSocketPower.ReadAsync"/> reads a whole box at once (each point at the start
    /// of the time it averages). Per-second means would blur 1 s slots that do not start on a
    /// whole second; coarser points work only when slots are several times longer.
    /// </param>
    public static SocketIdentification Identify(
        LoadPattern pattern,
        DateTimeOffset patternStart,
        IReadOnlyList<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)> candidates)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(candidates);
        var slots = LoadPatternSlots.All(pattern);
        var correlations = candidates
            .Select(c => Correlate(pattern, slots, patternStart, c.Socket, c.Points))
            .OfType<SocketCorrelation>()
            .OrderByDescending(c => c.Correlation)
            .ThenBy(c => c.Socket.BoxId, StringComparer.Ordinal)
            .ThenBy(c => c.Socket.Socket)
            .ToList();
        if (correlations.Count == 0)
        {
            return new SocketIdentification([], [], "no socket recorded power during the load pattern: are the boxes' agents running?");
        }

        var strong = correlations.TakeWhile(c => c.Correlation >= ProposeFromCorrelation).ToList();
        var best = correlations[0];
        if (strong.Count == 0)
        {
            return new SocketIdentification(correlations, [], Invariant(
                $"no socket's power followed the load (best: {best.Socket} at r = {best.Correlation:0.00}, {Difference(best)} on - off): is the runner's machine on one of these boxes? does the load change its power (constant draw)?"));
        }

        if (strong.Count > MaxProposed)
        {
            return new SocketIdentification(correlations, [], Invariant(
                $"{strong.Count} sockets followed the load ({string.Join(", ", strong.Select(c => Invariant($"{c.Socket} r = {c.Correlation:0.00}")))}): a machine has at most {MaxProposed} power supplies; run the identification again"));
        }

        if (correlations.Count > strong.Count && correlations[strong.Count] is { Correlation: >= OthersBelowCorrelation } next)
        {
            var last = strong[^1];
            return new SocketIdentification(correlations, [], Invariant(
                $"{last.Socket} (r = {last.Correlation:0.00}) does not stand clearly above {next.Socket} (r = {next.Correlation:0.00}): another machine's load may follow a similar rhythm; run the identification again"));
        }

        return new SocketIdentification(correlations, strong.Select(c => c.Socket).ToList(), null);
    }

    private static SocketCorrelation? Correlate(
        LoadPattern pattern, IReadOnlyList<bool> slots, DateTimeOffset start, SocketRef socket, IReadOnlyList<(DateTimeOffset At, double Watts)> points)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(points);
        var settle = Math.Min(SettleSeconds, 0.3 * pattern.SlotSeconds);
        var earlyEnd = Math.Min(EarlyEndSeconds, 0.1 * pattern.SlotSeconds);
        var sums = new double[pattern.Slots];
        var counts = new int[pattern.Slots];
        foreach (var (at, watts) in points)
        {
            var offset = (at - start).TotalSeconds;
            var slot = (int)Math.Floor(offset / pattern.SlotSeconds);
            if (slot < 0 || slot >= pattern.Slots || !double.IsFinite(watts))
            {
                continue;
            }

            var within = offset - (slot * pattern.SlotSeconds);
            if (within >= settle && within < pattern.SlotSeconds - earlyEnd)
            {
                sums[slot] += watts;
                counts[slot]++;
            }
        }

        var on = new List<double>();
        var off = new List<double>();
        for (var slot = 0; slot < pattern.Slots; slot++)
        {
            if (counts[slot] > 0)
            {
                (slots[slot] ? on : off).Add(sums[slot] / counts[slot]);
            }
        }

        // A socket missing most of the pattern (frames lost, box down) is no candidate at all:
        // a few slots could correlate by chance.
        var onSlots = slots.Count(s => s);
        if (on.Count * 2 < onSlots || off.Count * 2 < pattern.Slots - onSlots || on.Count < 2 || off.Count < 2)
        {
            return null;
        }

        var x = on.Select(_ => 1.0).Concat(off.Select(_ => 0.0)).ToList();
        var y = on.Concat(off).ToList();
        return new SocketCorrelation(socket, Pearson.Correlation(x, y), on.Average(), off.Average());
    }

    private static string Difference(SocketCorrelation c) => Invariant($"{c.OnWatts - c.OffWatts:+0.0;-0.0;0.0} W");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
