using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Energy;
using Fleet.Cli.Api;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet energy</c>: exact joules of a machine or a socket over a window.</summary>
internal static class EnergyCommand
{
    public static Command Create()
    {
        var machine = new Option<string?>("--machine") { Description = "A machine (its sockets over time, both power supplies).", HelpName = "NAME" };
        var box = new Option<string?>("--box") { Description = "A box, with --socket.", HelpName = "BOX" };
        var socket = new Option<int?>("--socket") { Description = "Socket number on the box (1-based, as printed on it).", HelpName = "N" };
        var from = GlobalOptions.From();
        from.Required = true;
        var to = GlobalOptions.To();
        var command = new Command("energy", """
            Energy over a window: Σ P × 10 ms over the frames present, the time they cover and how complete they are.

            joules is exact over the frames present; mean W is over the time the frames cover
            (from the first frame to the end of the last), so a window wider than the data does not
            thin it; only gaps with frames on both sides are filled (interpolated_joules); coverage
            is the share of the window's 10 ms frames that are present.

            Examples:
              fleet energy --machine srv-1 --from 2026-11-25T10:00:00Z --to 2026-11-25T11:00:00Z
              fleet energy --machine srv-1 --from -1h
              fleet energy --box omegawatt-a --socket 2 --from today --json
            """)
        {
            machine, box, socket, from, to,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("energy", async () =>
        {
            var (start, end) = GlobalOptions.ParseWindow(parse.GetValue(from)!, parse.GetValue(to));
            var name = parse.GetValue(machine);
            var boxId = parse.GetValue(box);
            if (name is not null == boxId is not null || (boxId is not null && parse.GetValue(socket) is null))
            {
                throw new CliException("give either --machine NAME or --box BOX --socket N");
            }

            var target = name is not null ? PowerTarget.Machine(name) : PowerTarget.Socket(boxId!, parse.GetValue(socket)!.Value);
            using var client = GlobalOptions.Client(parse);
            var energy = await client.GetEnergyAsync(target, start, end, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(energy) : Text(target, energy));
            return 0;
        }));
        return command;
    }

    private static string Text(PowerTarget target, EnergyResponse energy)
    {
        var window = (energy.To - energy.From).TotalSeconds;
        var covered = energy.CoveredFrom is { } first && energy.CoveredTo is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"frames cover {Units.Duration(energy.CoveredSeconds)} ({Units.Clock(first)} to {Units.Clock(last)} UTC)")
            : "no frames in the window";
        var silent = (energy.Sockets ?? []).Where(s => s.Frames == 0).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Box}:{s.Socket}")).ToList();
        return string.Create(CultureInfo.InvariantCulture,
                $"{target.Label}: {Units.Energy(energy.Joules)} over {Units.Duration(window)}, mean {Units.Watts(energy.MeanWatts)}, peak {Units.Watts(energy.PeakWatts)}; ")
            + string.Create(CultureInfo.InvariantCulture, $"{covered}; coverage {energy.Coverage * 100:F1} % of the window ({energy.Frames} of {energy.FramesExpected} frames)")
            + (energy.FramesInterpolated > 0 ? string.Create(CultureInfo.InvariantCulture, $", {energy.FramesInterpolated} missing between frames filled: {Units.Energy(energy.InterpolatedJoules)}") : string.Empty)
            + (silent.Count > 0 && silent.Count < (energy.Sockets?.Count ?? 0) ? $"; no frames from {string.Join(", ", silent)}" : string.Empty)
            + (energy.FromRollupsOnly ? "; from the 1 s rollups only (raw frames past the retention), exact to a second at the start" : string.Empty);
    }
}
