using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.AgentHost.Sources;

/// <summary>
/// The simulated box of <c>--simulate</c>: <c>--plugs N</c> sockets, the demo's three machines on
/// sockets 1–3 unless wired otherwise, and sockets wired with <c>--wire</c> to a runner's load
/// signal (<see cref="LoadSignal"/>), so a runner on this host looks like a machine on that socket.
/// </summary>
public sealed class SimulatorWiring
{
    public const int DefaultPlugs = 6;

    /// <summary>A small server idling, as the demo box's machines.</summary>
    public const double DefaultIdleWatts = 90;

    /// <summary>What one busy core adds on a typical lab server, clearly above the box's noise.</summary>
    public const double DefaultWattsPerCore = 60;

    private SimulatorWiring(int plugs, IReadOnlyList<WiredSocket> sockets, IReadOnlyList<string> errors)
    {
        Plugs = plugs;
        Sockets = sockets;
        Errors = errors;
    }

    public int Plugs { get; }

    /// <summary>The wired sockets, in the order given.</summary>
    public IReadOnlyList<WiredSocket> Sockets { get; }

    /// <summary>What is wrong with the options, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Reads <c>--plugs</c> and every <c>--wire</c>, collecting every error rather than stopping at the first.</summary>
    public static SimulatorWiring Parse(int plugs, IReadOnlyList<string> wires)
    {
        ArgumentNullException.ThrowIfNull(wires);
        var errors = new List<string>();
        if (!FrameLayout.IsValidPlugCount(plugs))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--plugs {plugs}: a box has 6 to 48 plugs, a multiple of 6 (one module is 6 plugs)"));
        }

        var sockets = new List<WiredSocket>();
        foreach (var wire in wires)
        {
            if (TryParseWire(wire, out var socket, out var error))
            {
                if (FrameLayout.IsValidPlugCount(plugs) && socket.Socket > plugs)
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"--wire '{wire}': socket {socket.Socket} does not exist on a {plugs}-plug box (add --plugs {(socket.Socket + 5) / 6 * 6})"));
                }
                else if (sockets.Any(s => s.Socket == socket.Socket))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"--wire '{wire}': socket {socket.Socket} is wired twice"));
                }
                else
                {
                    sockets.Add(socket);
                }
            }
            else
            {
                errors.Add(error);
            }
        }

        return new SimulatorWiring(plugs, sockets, errors);
    }

    /// <summary>The simulator's options: wired sockets follow their files, sockets 1–3 otherwise carry the demo's machines, the rest are empty.</summary>
    public BoxSimulatorOptions ToOptions()
    {
        if (Errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", Errors));
        }

        var demo = DemoBox.Options;
        var loads = new ILoadProfile?[Plugs];
        for (var k = 0; k < Math.Min(demo.Loads.Count, Plugs); k++)
        {
            loads[k] = demo.Loads[k];
        }

        foreach (var socket in Sockets)
        {
            loads[socket.Socket - 1] = WiredLoad.FromFile(socket.File, socket.IdleWatts, socket.WattsPerCore);
        }

        return demo with { Plugs = Plugs, Loads = loads };
    }

    /// <summary>
    /// SOCKET=FILE[:IDLE_WATTS[:WATTS_PER_CORE]]. Trailing numbers after a colon are the watts, so
    /// a path may hold colons as long as its last part is not a number.
    /// </summary>
    public static bool TryParseWire(string text, [NotNullWhen(true)] out WiredSocket? socket, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        socket = null;
        error = string.Empty;
        var usage = $"--wire '{text}' is not SOCKET=FILE[:IDLE_WATTS[:WATTS_PER_CORE]] (example: --wire 4=/tmp/runner-a.load:90:60)";
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            error = usage;
            return false;
        }

        if (!int.TryParse(text.AsSpan(0, equals), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > FrameLayout.MaxPlugs)
        {
            error = $"--wire '{text}': the socket must be a number from 1 to {FrameLayout.MaxPlugs.ToString(CultureInfo.InvariantCulture)}, as printed on the box";
            return false;
        }

        var parts = text[(equals + 1)..].Split(':').ToList();
        var watts = new List<double>();
        while (parts.Count > 1 && watts.Count < 2 && double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (!double.IsFinite(value) || value < 0)
            {
                error = $"--wire '{text}': watts must be a number of 0 or more, not '{parts[^1]}'";
                return false;
            }

            watts.Insert(0, value);
            parts.RemoveAt(parts.Count - 1);
        }

        var file = string.Join(':', parts);
        if (file.Length == 0)
        {
            error = usage;
            return false;
        }

        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory && !Directory.Exists(directory))
        {
            error = $"--wire '{text}': no directory {directory} for the load signal file (the file itself may appear later, when the runner starts)";
            return false;
        }

        socket = new WiredSocket(number, file, watts.Count > 0 ? watts[0] : DefaultIdleWatts, watts.Count > 1 ? watts[1] : DefaultWattsPerCore);
        return true;
    }
}
