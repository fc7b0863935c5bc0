using System.CommandLine;
using System.Globalization;
using System.Text.Json;

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
            var start = GlobalOptions.ParseTime(parse.GetValue(from)!, "--from");
            var end = GlobalOptions.ParseTime(parse.GetValue(to)!, "--to");
            if (end <= start)
            {
                throw new CliException($"--from ({GlobalOptions.Iso(start)}) must be before --to ({GlobalOptions.Iso(end)})");
            }

            var name = parse.GetValue(machine);
            var boxId = parse.GetValue(box);
            if (name is not null == boxId is not null || (boxId is not null && parse.GetValue(socket) is null))
            {
                throw new CliException("give either --machine NAME or --box BOX --socket N");
            }

            var target = name is not null
                ? $"machine={Uri.EscapeDataString(name)}"
                : string.Create(CultureInfo.InvariantCulture, $"box={Uri.EscapeDataString(boxId!)}&socket={parse.GetValue(socket)}");
            using var client = GlobalOptions.Client(parse);
            var energy = await client.GetAsync($"/api/energy?{target}&from={Uri.EscapeDataString(GlobalOptions.Iso(start))}&to={Uri.EscapeDataString(GlobalOptions.Iso(end))}", cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(CliJson.Write(energy));
            }
            else
            {
                var what = name ?? $"{boxId}:{parse.GetValue(socket)}";
                var frames = energy.GetProperty("frames").GetInt64();
                var expected = energy.GetProperty("frames_expected").GetInt64();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{what}: {energy.GetProperty("joules").GetDouble():F1} J over {(end - start).TotalSeconds:F1} s, mean {Watts(energy, "mean_watts")}, peak {Watts(energy, "peak_watts")}, coverage {energy.GetProperty("coverage").GetDouble() * 100:F1} % ({frames} of {expected} frames)"));
            }

            return 0;
        }));
        return command;
    }

    private static string Watts(JsonElement energy, string property) =>
        energy.GetProperty(property).ValueKind == JsonValueKind.Number
            ? string.Create(CultureInfo.InvariantCulture, $"{energy.GetProperty(property).GetDouble():F1} W")
            : "n/a";
}
