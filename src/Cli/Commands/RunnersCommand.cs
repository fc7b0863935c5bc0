using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Runs;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet runners</c>: which machines have a live runner to take submitted commands.</summary>
internal static class RunnersCommand
{
    public static Command Create()
    {
        var command = new Command("runners", """
            Every machine on a socket and its runner: host, alive, last heartbeat, clock offset, component meters, jobs.

            A machine without a live runner cannot take 'fleet submit': start
            `Fleet.AgentHost --runner --machine M` on it.

            Examples:
              fleet runners
              fleet runners --json | jq -r '.[] | select(.alive | not) | .machine'
            """);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("runners", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var runners = await client.ListRunnersAsync(cancellationToken).ConfigureAwait(false);
            Console.Write(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(runners) + "\n" : Text(runners));
            return 0;
        }));
        return command;
    }

    internal static string Text(IReadOnlyList<RunnerResponse> runners)
    {
        ArgumentNullException.ThrowIfNull(runners);
        if (runners.Count == 0)
        {
            return "no machine on a socket yet (fleet machines add)\n";
        }

        var output = new System.Text.StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"{"MACHINE",-16} {"RUNNER",-8} {"HOST",-20} {"LAST HEARTBEAT (UTC)",-20} {"OFFSET",9} {"JOBS",-24} COMPONENTS");
        foreach (var r in runners)
        {
            var state = r.Host is null ? "none" : r.Alive ? "alive" : "silent";
            var heartbeat = r.LastHeartbeat is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
            var offset = r.Host is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{r.ClockOffsetSeconds * 1000:+0.0;-0.0;0.0} ms");
            var jobs = r.ActiveJobs.Count > 0 ? string.Join(", ", r.ActiveJobs) : "-";
            var components = r.Components.Count > 0
                ? string.Join("; ", r.Components.Select(c => c.Available ? $"{c.Component}: {c.Source}" : $"{c.Component}: missing ({c.Reason ?? "not found"})"))
                : "-";
            output.AppendLine(CultureInfo.InvariantCulture, $"{r.Machine,-16} {state,-8} {r.Host ?? "-",-20} {heartbeat,-20} {offset,9} {jobs,-24} {components}");
        }

        return output.ToString();
    }
}
