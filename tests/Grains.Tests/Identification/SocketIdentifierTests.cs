using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Identification;

namespace Fleet.Grains.Tests.Identification;

/// <summary>
/// Identification on simulated boxes in virtual time: the machine's runner drives the default
/// pattern through a lagging, jittery load signal, other sockets carry look-alikes (another
/// runner's pattern, square waves, random on/off, constant draws). Every seed must give the
/// right answer: these are the cases a user relies on.
/// </summary>
public sealed class SocketIdentifierTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 10)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Identify_MachineOnOneSocket_ProposesThatSocket(int seed)
    {
        var socket = 1 + (seed % 6);
        var lab = SimulatedLab.Build(seed, [socket]);

        var result = SocketIdentifier.Identify(lab.Pattern, SimulatedLab.PatternStart, lab.Sockets);

        Assert.True(result.Refusal is null, $"seed {seed}, lag {lab.Runner.Lag:0.000} s: {result.Refusal}");
        Assert.Equal([new SocketRef(SimulatedLab.BoxId, socket)], result.Proposed);
        Assert.Equal(6, result.Candidates.Count);
        var best = result.Candidates[0];
        Assert.Equal(new SocketRef(SimulatedLab.BoxId, socket), best.Socket);
        Assert.True(best.Correlation > 0.95, $"seed {seed}: r = {best.Correlation}");
        // One busy core at 60 W/core, slightly less for the noise and background of the signal.
        Assert.InRange(best.OnWatts - best.OffWatts, 50, 65);
        Assert.InRange(best.OffWatts, SimulatedLab.IdleWatts, SimulatedLab.IdleWatts + 6);
        Assert.All(result.Candidates.Skip(1), c => Assert.True(c.Correlation < SocketIdentifier.OthersBelowCorrelation, $"seed {seed}: {c}"));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Identify_DualSupplyMachine_ProposesBothSockets(int seed)
    {
        int[] sockets = [1 + (seed % 6), 1 + ((seed + 2) % 6)];
        var lab = SimulatedLab.Build(seed, sockets);

        var result = SocketIdentifier.Identify(lab.Pattern, SimulatedLab.PatternStart, lab.Sockets);

        Assert.True(result.Refusal is null, $"seed {seed}: {result.Refusal}");
        Assert.Equal(sockets.Order(), result.Proposed.Select(s => s.Socket).Order());
        // Each supply carries half of the machine's 60 W/core.
        Assert.All(result.Candidates.Take(2), c => Assert.InRange(c.OnWatts - c.OffWatts, 25, 32.5));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Identify_MachineWhosePowerDoesNotChange_Refuses(int seed)
    {
        var lab = SimulatedLab.Build(seed, [1 + (seed % 6)], powerFollowsLoad: false);

        var result = SocketIdentifier.Identify(lab.Pattern, SimulatedLab.PatternStart, lab.Sockets);

        Assert.Empty(result.Proposed);
        Assert.Contains("no socket's power followed the load", result.Refusal, StringComparison.Ordinal);
        Assert.Equal(6, result.Candidates.Count);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Identify_MachineOnNoSocketOfTheBox_Refuses(int seed)
    {
        var lab = SimulatedLab.Build(seed, []);

        var result = SocketIdentifier.Identify(lab.Pattern, SimulatedLab.PatternStart, lab.Sockets);

        Assert.Empty(result.Proposed);
        Assert.NotNull(result.Refusal);
        Assert.All(result.Candidates, c => Assert.True(c.Correlation < SocketIdentifier.ProposeFromCorrelation, $"seed {seed}: {c}"));
    }

    [Fact]
    public void Identify_ThreeSocketsFollowTheLoad_RefusesRatherThanPickTwo()
    {
        var lab = SimulatedLab.Build(3, [1, 2, 4]);

        var result = SocketIdentifier.Identify(lab.Pattern, SimulatedLab.PatternStart, lab.Sockets);

        Assert.Empty(result.Proposed);
        Assert.StartsWith("3 sockets followed the load", result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_NextSocketTooClose_Refuses()
    {
        var pattern = LoadPatternSlots.Default(5);
        var start = SimulatedLab.Origin;
        // Socket 2 follows the pattern except in a fifth of its slots: r above 0.5, below 0.8.
        var slots = LoadPatternSlots.All(pattern);
        var result = SocketIdentifier.Identify(pattern, start,
        [
            (new SocketRef("b", 1), Square(pattern, start, k => slots[k])),
            (new SocketRef("b", 2), Square(pattern, start, k => k % 5 == 1 ? !slots[k] : slots[k])),
        ]);

        Assert.Empty(result.Proposed);
        Assert.Contains("does not stand clearly above b:2", result.Refusal, StringComparison.Ordinal);
        Assert.InRange(result.Candidates[1].Correlation, SocketIdentifier.OthersBelowCorrelation, SocketIdentifier.ProposeFromCorrelation);
    }

    [Fact]
    public void Identify_NoPowerInTheWindow_Refuses()
    {
        var pattern = LoadPatternSlots.Default(5);

        var result = SocketIdentifier.Identify(pattern, SimulatedLab.Origin, [(new SocketRef("b", 1), [(SimulatedLab.Origin.AddHours(-1), 100.0)])]);

        Assert.Empty(result.Candidates);
        Assert.Empty(result.Proposed);
        Assert.Contains("no socket recorded power", result.Refusal, StringComparison.Ordinal);
    }

    /// <summary>10 ms frames of 100 W, 160 W in the slots <paramref name="on"/> says.</summary>
    private static List<(DateTimeOffset At, double Watts)> Square(LoadPattern pattern, DateTimeOffset start, Func<int, bool> on) =>
        Enumerable.Range(0, (int)(pattern.DurationSeconds * 100))
            .Select(k => (start.AddMilliseconds(k * 10), on((int)(k / (pattern.SlotSeconds * 100))) ? 160.0 : 100.0))
            .ToList();
}
