using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Runs;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet queue</c>: the experiments holding or waiting for machines, oldest first.</summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var command = new Command("queue", """
            The experiments queued, measuring their idle baseline or running, oldest first, and whom each queued one waits for.

            Examples:
              fleet queue
              fleet queue --json | jq '.experiments[] | select(.status == "queued") | .id'
            """);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("queue", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var queue = await client.GetQueueAsync(cancellationToken).ConfigureAwait(false);
            Console.Write(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(queue) + "\n" : Text(queue));
            return 0;
        }));
        return command;
    }

    internal static string Text(QueueResponse queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (queue.Experiments.Count == 0)
        {
            return "no experiment queued or running\n";
        }

        var output = new System.Text.StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"{"#",3} {"EXPERIMENT",-34} {"STATUS",-9} {"SUBMITTED (UTC)",-20} {"MACHINES",-24} WAITING FOR");
        foreach (var e in queue.Experiments)
        {
            var submitted = (e.SubmittedAt ?? e.StartedAt) is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
            var waiting = e.WaitingFor.Count > 0 ? string.Join(", ", e.WaitingFor) : "-";
            output.AppendLine(CultureInfo.InvariantCulture, $"{e.Position,3} {e.Id,-34} {EnergyTable.Status(e.Status),-9} {submitted,-20} {string.Join(", ", e.Machines),-24} {waiting}");
        }

        return output.ToString();
    }
}
