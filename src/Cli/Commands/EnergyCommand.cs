using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Api;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet energy</c>: exact joules of a machine or a socket over a window.</summary>
internal static class EnergyCommand
{
    public static Command Create()
    {
        var machine = new Option<string?>("--machine") { Description = "A machine (its sockets over time, both power supplies).", HelpName = "NAME" };
        var box = new Option<string?>("--box") { Description = "A box, with --socket.", HelpName = "BOX" };
        var socket = new Option<int?>("--socket") { Description = "Socket number on the box (1-based, as printed on it).", HelpName = "N" };
        var from = new Option<string>("--from") { Description = "Window start, ISO 8601 (no offset = UTC).", Required = true, HelpName = "TIME" };
        var to = new Option<string>("--to") { Description = "Window end (exclusive), ISO 8601 or 'now'.", Required = true, HelpName = "TIME" };
        var command = new Command("energy", """
            Energy over a window: Σ P × 10 ms over the frames present, and how complete they are.

            Examples:
              fleet energy --machine srv-1 --from 2026-11-25T10:00:00Z --to 2026-11-25T11:00:00Z
              fleet energy --box omegawatt-a --socket 2 --from 2026-11-25T10:00:00Z --to now --json
            """)
        {
            machine, box, socket, from, to,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("energy", async () =>
        {
            var (start, end) = GlobalOptions.ParseWindow(parse.GetValue(from)!, parse.GetValue(to)!);
            var name = parse.GetValue(machine);
            var boxId = parse.GetValue(box);
            if (name is not null == boxId is not null || (boxId is not null && parse.GetValue(socket) is null))
            {
                throw new CliException("give either --machine NAME or --box BOX --socket N");
            }

            var target = name is not null ? PowerTarget.Machine(name) : PowerTarget.Socket(boxId!, parse.GetValue(socket)!.Value);
            using var client = GlobalOptions.Client(parse);
            var energy = await client.GetEnergyAsync(target, start, end, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(GlobalOptions.Json)
                ? CliJson.Write(energy)
                : string.Create(CultureInfo.InvariantCulture,
                    $"{target.Label}: {energy.Joules:F1} J over {(end - start).TotalSeconds:F1} s, mean {Watts(energy.MeanWatts)}, peak {Watts(energy.PeakWatts)}, coverage {energy.Coverage * 100:F1} % ({energy.Frames} of {energy.FramesExpected} frames)"));
            return 0;
        }));
        return command;
    }

    private static string Watts(double? watts) =>
        watts is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:F1} W") : "n/a";
}
