using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.Grains.Tests.Identification;

/// <summary>
/// One box of six sockets in virtual time: the machine under identification wired through an
/// in-memory load signal on the sockets given, every other socket carrying something that could
/// fool a careless identifier, drawn from the seed: another runner driving its own pattern at the
/// same time, a square wave of its own period and phase, a random on/off load with other slots,
/// a ramp, a constant draw and an empty socket.
/// </summary>
internal sealed class SimulatedLab
{
    public const string BoxId = "box-lab";
    public const double PatternStartSeconds = 3;
    public const double IdleWatts = 90;
    public const double WattsPerCore = 60;
    public static readonly DateTimeOffset Origin = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private SimulatedLab(LoadPattern pattern, SimulatedRunner runner, IReadOnlyList<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)> sockets)
    {
        Pattern = pattern;
        Runner = runner;
        Sockets = sockets;
    }

    public LoadPattern Pattern { get; }

    public static DateTimeOffset PatternStart => Origin.AddSeconds(PatternStartSeconds);

    public SimulatedRunner Runner { get; }

    public IReadOnlyList<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)> Sockets { get; }

    /// <summary>
    /// A box whose sockets <paramref name="machineSockets"/> (1-based; two for a dual supply, none
    /// for a machine on another box) carry the runner's machine, its power split evenly between them.
    /// </summary>
    /// <param name="powerFollowsLoad">False for a machine whose power does not change with CPU load (constant draw).</param>
    public static SimulatedLab Build(int seed, IReadOnlyList<int> machineSockets, bool powerFollowsLoad = true)
    {
        var random = new Random(seed);
        var pattern = LoadPatternSlots.Default(seed);
        var total = PatternStartSeconds + pattern.DurationSeconds + 3;
        var runner = new SimulatedRunner(pattern, PatternStartSeconds, threads: 1, seed, total);

        var loads = new ILoadProfile?[6];
        foreach (var socket in machineSockets)
        {
            var share = 1.0 / machineSockets.Count;
            loads[socket - 1] = powerFollowsLoad
                ? new WiredLoad(runner.CoresAt, IdleWatts * share, WattsPerCore * share)
                : new ConstantLoad(150 * share);
        }

        // Another identification at the same time, on another machine: the closest look-alike.
        var otherPattern = LoadPatternSlots.Default(seed + 1_000);
        var other = new SimulatedRunner(otherPattern, PatternStartSeconds + (2 * random.NextDouble()), threads: 2, seed + 2_000, total);
        var period = 2 + (6 * random.NextDouble());
        var phase = period * random.NextDouble();
        var randomSlots = Enumerable.Range(0, (int)(total / 0.7) + 1).Select(_ => random.NextDouble() < 0.5).ToArray();
        var decoys = new List<ILoadProfile?>
        {
            new WiredLoad(other.CoresAt, 120, 45),
            new WiredLoad(t => (t + phase) / period % 1 < 0.5 ? 2 : 0, 110, 80),
            new WiredLoad(t => randomSlots[(int)(t / 0.7)] ? 3 : 0.2, 140, 30),
            new ConstantLoad(95),
            new RampLoad(180, 2, MaxWatts: 320),
            null,
        }.OrderBy(_ => random.Next()).ToList();
        var next = 0;
        for (var k = 0; k < loads.Length; k++)
        {
            if (!machineSockets.Contains(k + 1))
            {
                loads[k] = decoys[next++];
            }
        }

        var options = new BoxSimulatorOptions { Plugs = 6, Loads = loads, PowerNoiseWatts = 2.5, Seed = seed };
        return new SimulatedLab(pattern, runner, SimulatedRecording.Record(BoxId, options, Origin, total));
    }

    public IReadOnlyList<(DateTimeOffset At, double Watts)> PowerOf(int socket) => Sockets[socket - 1].Points;
}
