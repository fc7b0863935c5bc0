using System.Globalization;

namespace Fleet.Cli.Api;

/// <summary>What energy and series are asked for: a machine (all its sockets over time) or one socket of a box.</summary>
/// <param name="Label">How the CLI names it: the machine, or BOX:SOCKET.</param>
/// <param name="Query">The query parameters that select it.</param>
internal sealed record PowerTarget(string Label, string Query)
{
    public static PowerTarget Machine(string name) => new(name, $"machine={Uri.EscapeDataString(name)}");

    public static PowerTarget Socket(string box, int socket) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{box}:{socket}"), string.Create(CultureInfo.InvariantCulture, $"box={Uri.EscapeDataString(box)}&socket={socket}"));
}
