using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Machines;
using Fleet.OmegaWatt.Naming;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet machines</c>: which machine is on which socket, with history.</summary>
internal static class MachinesCommand
{
    public static Command Create()
    {
        var add = Assign("add", """
            Put a machine on one or more sockets from a time on.

            A machine already on other sockets is moved: its old assignments end at that time, history
            is kept. The box must have sent frames (so Fleet knows it and its socket count); --force
            assigns a box not plugged in yet, with a warning.

            Examples:
              fleet machines add srv-1 --socket omegawatt-a:1
              fleet machines add gpu-2 --socket omegawatt-a:2 --socket omegawatt-b:5 --from 2026-11-25T09:00:00Z
              fleet machines add srv-9 --socket omegawatt-c:4 --force
            """);
        var move = Assign("move", """
            Move a machine to other sockets from a time on.

            Its current assignments end there, the new ones start there, and experiments before that
            keep resolving to the old sockets.

            Example:
              fleet machines move srv-1 --socket omegawatt-b:4 --from 2026-11-25T12:00:00Z
            """);

        var at = new Option<string?>("--at") { Description = "Only assignments valid at this time (any TIME form, e.g. now); default: the whole history.", HelpName = "TIME" };
        var list = new Command("list", """
            List socket assignments: all history, or those valid --at a time.

            Examples:
              fleet machines list
              fleet machines list --at now --json
            """)
        {
            at,
        };
        list.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("machines list", async () =>
        {
            DateTimeOffset? when = parse.GetValue(at) is { } text ? GlobalOptions.ParseTime(text, "--at") : null;
            using var client = GlobalOptions.Client(parse);
            Print(await client.ListAssignmentsAsync(when, cancellationToken).ConfigureAwait(false), parse.GetValue(GlobalOptions.Json));
            return 0;
        }));

        return new Command("machines", """
            Machines and the sockets that measure them.

            Examples:
              fleet machines add srv-1 --socket omegawatt-a:1
              fleet machines list --at now
            """)
        {
            add, move, list,
        };
    }

    /// <summary>`add` and `move` are one operation: from a time on, the machine is on exactly these sockets.</summary>
    private static Command Assign(string verb, string description)
    {
        var name = new Argument<string>("NAME") { Description = $"The machine's name ({IdRule.Description})." };
        var sockets = new Option<string[]>("--socket")
        {
            Description = "BOX:SOCKET the machine is plugged into; repeat for two power supplies.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            HelpName = "BOX:S",
        };
        var from = new Option<string?>("--from") { Description = "From when (any TIME form; default now). Earlier assignments of the machine end there.", HelpName = "TIME" };
        var force = new Option<bool>("--force") { Description = "Assign even a socket Fleet cannot check (a box that has sent no frame yet), with a warning." };
        var command = new Command(verb, description) { name, sockets, from, force };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync($"machines {verb}", async () =>
        {
            var at = parse.GetValue(from) is { } text ? GlobalOptions.ParseTime(text, "--from") : DateTimeOffset.UtcNow;
            var machine = parse.GetValue(name)!;
            var request = new AssignSocketsRequest(parse.GetValue(sockets)!, at);
            using var client = GlobalOptions.Client(parse);
            AssignmentResponse[] history;
            try
            {
                history = await client.AssignSocketsAsync(machine, request, cancellationToken).ConfigureAwait(false);
            }
            catch (CliException refusal) when (parse.GetValue(force))
            {
                // The silo's reason is the warning: the same request, its checks waived.
                history = await client.AssignSocketsAsync(machine, request with { Force = true }, cancellationToken).ConfigureAwait(false);
                await CommandRunner.WarnAsync($"machines {verb}", $"{refusal.Message}; assigned anyway (--force)").ConfigureAwait(false);
            }

            Print(history, parse.GetValue(GlobalOptions.Json));
            return 0;
        }));
        return command;
    }

    private static void Print(AssignmentResponse[] assignments, bool json)
    {
        if (json)
        {
            Console.WriteLine(CliJson.Write(assignments));
            return;
        }

        Console.WriteLine($"{"MACHINE",-20} {"SOCKET",-20} {"FROM (UTC)",-21} {"TO (UTC)",-21}");
        foreach (var row in assignments)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Machine,-20} {row.Box + ":" + row.Socket.ToString(CultureInfo.InvariantCulture),-20} {Short(row.ValidFrom),-21} {(row.ValidTo is { } to ? Short(to) : "(now)"),-21}"));
        }
    }

    private static string Short(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
