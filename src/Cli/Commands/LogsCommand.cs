using System.CommandLine;
using Fleet.Api.Contracts.Runs;
using Fleet.Cli.Api;
using Fleet.Cli.Terminal;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet logs ID</c>: what a submitted experiment's command printed on its machines, kept by the cluster.</summary>
internal static class LogsCommand
{
    /// <summary>Between two looks for new lines while following a run.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The experiment (fleet submit printed it)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the experiment ends." };
        var machine = new Option<string?>("--machine") { Description = "Only this machine's lines.", HelpName = "NAME" };
        var command = new Command("logs", """
            What a submitted experiment's command printed: stdout lines on stdout, stderr lines on stderr.

            Lines are prefixed with their machine when the experiment runs on several. --json prints
            one JSON object per line (machine, sequence, at, source, text).

            Examples:
              fleet logs $ID
              fleet logs $ID --follow
              fleet logs $ID --machine gpu-2 --json | jq -r .text
            """)
        {
            id, follow, machine,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("logs", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var experiment = parse.GetValue(id)!;
            var only = parse.GetValue(machine);
            var json = parse.GetValue(GlobalOptions.Json);
            var info = await client.GetExperimentAsync(experiment, cancellationToken).ConfigureAwait(false);
            var prefixed = only is null && info.Machines.Count > 1;
            await ReadAsync(client, experiment, only, parse.GetValue(follow), line => Print(line, prefixed, json), PollInterval, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Every line stored so far, page by page; when following, then new lines as they come until
    /// the experiment has ended and a read after that found nothing more.
    /// </summary>
    internal static async Task ReadAsync(FleetApiClient client, string id, string? machine, bool follow, Action<LogLineResponse> print, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(print);
        long after = 0;
        while (true)
        {
            var page = await client.GetLogsAsync(id, after, machine, cancellationToken).ConfigureAwait(false);
            foreach (var line in page.Lines)
            {
                print(line);
            }

            after = page.NextAfter;
            if (page.Lines.Count > 0)
            {
                continue;
            }

            // Done was decided before the lines were read: nothing is left once a done page is empty.
            if (!follow || page.Done)
            {
                return;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Print(LogLineResponse line, bool prefixed, bool json)
    {
        if (json)
        {
            Console.WriteLine(CliJson.Write(line));
            return;
        }

        // A command's text goes to the terminal as it was, except what would drive it (escapes); tabs are layout, kept.
        var text = (prefixed ? $"[{line.Machine}] " : string.Empty) + string.Join('\t', line.Text.Split('\t').Select(Printable.Line));
        (line.Source == "stderr" ? Console.Error : Console.Out).WriteLine(text);
    }
}
