using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Tests.Identification;

/// <summary>
/// The cores a runner's load signal reports while it drives a pattern, as a simulated box wired to
/// it sees them: the load starts late by a lag (runner start, clock offset), the signal is the CPU
/// measured over the last ~100 ms, rewritten every 100 ms with a few ms of jitter, plus noise and a
/// little background activity. Everything is drawn from the seed up front, so the signal is a pure
/// function of time (virtual time, no clock).
/// </summary>
internal sealed class SimulatedRunner
{
    private const double SignalPeriodSeconds = 0.1;
    private readonly double[] _updateSeconds;
    private readonly double[] _cores;

    /// <param name="patternStartSeconds">Where the pattern starts on the simulation's time line.</param>
    /// <param name="threads">Cores busy in an "on" slot.</param>
    /// <param name="seed">Lag, jitter and noise.</param>
    public SimulatedRunner(LoadPattern pattern, double patternStartSeconds, double threads, int seed, double totalSeconds)
    {
        var random = new Random(seed);
        var slots = LoadPatternSlots.All(pattern);
        // The load shows between 50 ms early (runner clock ahead) and 250 ms late.
        Lag = -0.05 + (0.3 * random.NextDouble());
        var phase = SignalPeriodSeconds * random.NextDouble();
        var updates = new List<double>();
        var cores = new List<double>();
        for (var u = phase; u < totalSeconds; u += SignalPeriodSeconds)
        {
            var at = u + (0.02 * (random.NextDouble() - 0.5));
            // Fraction of the last 100 ms spent on, sampled at 1 ms.
            var busy = 0;
            for (var k = 0; k < 100; k++)
            {
                var t = at - SignalPeriodSeconds + (k * 0.001) - patternStartSeconds - Lag;
                var slot = (int)Math.Floor(t / pattern.SlotSeconds);
                busy += slot >= 0 && slot < pattern.Slots && slots[slot] ? 1 : 0;
            }

            updates.Add(at);
            cores.Add(Math.Max(0, (threads * busy / 100.0) + 0.05 + (0.05 * (random.NextDouble() - 0.5) * 2)));
        }

        _updateSeconds = [.. updates];
        _cores = [.. cores];
    }

    public double Lag { get; }

    /// <summary>The value of the signal file at <paramref name="seconds"/>: the last update at or before it, 0 before the first.</summary>
    public double CoresAt(double seconds)
    {
        var index = Array.BinarySearch(_updateSeconds, seconds);
        index = index >= 0 ? index : ~index - 1;
        return index < 0 ? 0 : _cores[index];
    }

    /// <summary>The activity the runner itself reports: its samples, at their times.</summary>
    public IReadOnlyList<ActivitySample> Activity(DateTimeOffset origin, double fromSeconds, double toSeconds) =>
        _updateSeconds
            .Select((s, k) => (Seconds: s, Cores: _cores[k]))
            .Where(u => u.Seconds >= fromSeconds && u.Seconds < toSeconds)
            .Select(u => new ActivitySample(origin.AddSeconds(u.Seconds), u.Cores))
            .ToList();
}
