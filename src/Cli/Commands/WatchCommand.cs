using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Live;
using Fleet.Cli.Api;
using Fleet.Cli.Terminal;
using Fleet.Cli.Watching;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet watch</c>: a live table of power per socket and machine, with each box's frame rate and losses.</summary>
internal static class WatchCommand
{
    /// <summary>Cursor home, then each line cleared to its end and the rest of the screen cleared: a redraw without flicker.</summary>
    private const string Home = "\u001b[H";
    private const string ClearLine = "\u001b[K";
    private const string ClearBelow = "\u001b[J";

    /// <summary>How far back the mean next to the instantaneous power reaches (the silo averages it).</summary>
    private const int MeanSeconds = 10;

    public static Command Create()
    {
        var box = new Option<string?>("--box") { Description = "Only this box.", HelpName = "BOX" };
        var machine = new Option<string?>("--machine") { Description = "Only this machine's sockets.", HelpName = "NAME" };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes.", DefaultValueFactory = _ => 1.0, HelpName = "SECONDS" };
        var once = new Option<bool>("--once") { Description = "Print one table (or, with --json, one JSON object) and exit; also the default when stdout is not a terminal." };
        var command = new Command("watch", $"""
            A live table of power per socket and per machine, and of each box's frames.

            Power now and the mean over the last {MeanSeconds} s; per box its frames/s, missing frames,
            how long ago its last frame came and who feeds it. Redraws in place on a terminal until Ctrl-C.

            Examples:
              fleet watch
              fleet watch --box omegawatt-a --interval 2
              fleet watch --machine srv-1
              fleet watch --once --json | jq '.machines'
            """)
        {
            box, machine, interval, once,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("watch", async () =>
        {
            var boxId = parse.GetValue(box);
            var name = parse.GetValue(machine);
            if (boxId is not null && name is not null)
            {
                throw new CliException("give --box BOX or --machine NAME, not both");
            }

            var seconds = parse.GetValue(interval);
            if (!double.IsFinite(seconds) || seconds < 0.2 || seconds > 3600)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--interval {seconds}: give 0.2 to 3600 seconds"));
            }

            var json = parse.GetValue(GlobalOptions.Json);
            using var client = GlobalOptions.Client(parse);

            // Unknown box or machine, wrong token, silo down: fail on the first read, before any redraw.
            var snapshot = await client.GetLiveAsync(boxId, name, MeanSeconds, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(once) || Console.IsOutputRedirected)
            {
                Console.Write(json ? CliJson.Write(snapshot) + "\n" : WatchTable.Text(snapshot, seconds, live: false));
                return 0;
            }

            await LiveAsync(client, boxId, name, snapshot, seconds, json, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task LiveAsync(FleetApiClient client, string? box, string? machine, LiveResponse first, double intervalSeconds, bool json, CancellationToken cancellationToken)
    {
        using var cursor = json ? null : new HiddenCursor(Console.Out);
        try
        {
            var snapshot = first;
            string? problem = null;
            while (true)
            {
                if (json)
                {
                    // One JSON object per line: a stream a script can follow.
                    Console.WriteLine(problem is null ? CliJson.Write(snapshot) : CliJson.Write(new ApiError(problem)));
                }
                else
                {
                    var text = WatchTable.Text(snapshot, intervalSeconds, live: true) + (problem is null ? string.Empty : $"\n(refresh failed: {problem}; retrying)\n");
                    Console.Write(Home + text.Replace("\n", ClearLine + "\n", StringComparison.Ordinal) + ClearBelow);
                }

                await Task.Delay(TimeSpan.FromSeconds(intervalSeconds), cancellationToken).ConfigureAwait(false);
                try
                {
                    snapshot = await client.GetLiveAsync(box, machine, MeanSeconds, cancellationToken).ConfigureAwait(false);
                    problem = null;
                }
                catch (CliException error)
                {
                    // A silo restart or a blip keeps the last table on screen with a note, and watching goes on.
                    problem = error.Message;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how a watch ends: not an error.
        }
    }
}
