using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Experiments;
using Fleet.Cli.Api;
using Fleet.Cli.Parsing;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet exp …</c> and <c>fleet report</c>: experiments driven from scripts or notebooks.</summary>
internal static class ExperimentCommands
{
    public static Command Create()
    {
        var exp = new Command("exp", """
            Experiments driven from scripts or notebooks: start, mark phases, stop, show.

            Examples:
              ID=$(fleet exp start --machine srv-1 --name "resnet sweep")
              fleet exp mark $ID epoch-1
              fleet exp stop $ID
            """);
        exp.Subcommands.Add(Start());
        exp.Subcommands.Add(Mark());
        exp.Subcommands.Add(Stop());
        exp.Subcommands.Add(Cancel("exp cancel"));
        exp.Subcommands.Add(Show());
        exp.Subcommands.Add(List());
        return exp;
    }

    public static Command Report()
    {
        var ids = new Argument<string[]>("ID") { Description = "One experiment, or several to compare side by side (default: the latest).", Arity = ArgumentArity.ZeroOrMore };
        var csv = new Option<bool>("--csv") { Description = "CSV (one row per experiment, machine and phase)." };
        var command = new Command("report", """
            Energy per machine and phase of experiments (the latest one without an ID).

            Each phase row has its energy, mean power over the time its frames cover, peak and
            coverage; "(unmarked)" is the time before the first mark, so the phases add up to "(all)".
            Several experiments are compared side by side by mean power, whatever their lengths.

            Examples:
              fleet report
              fleet report exp-20261125-100000-ab12cd
              fleet report run-a run-b
              fleet report run-a run-b --csv > compare.csv
            """)
        {
            ids, csv,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("report", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var wanted = parse.GetValue(ids) ?? [];
            if (wanted.Length == 0)
            {
                var latest = await client.ListExperimentsAsync(1, cancellationToken).ConfigureAwait(false);
                if (latest.Length == 0)
                {
                    throw new CliException("no experiment yet: start one with 'fleet run' or 'fleet exp start'");
                }

                wanted = [latest[0].Id];
            }

            var experiments = new List<ExperimentResponse>();
            foreach (var id in wanted)
            {
                experiments.Add(await client.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false));
            }

            Console.Write(parse.GetValue(GlobalOptions.Json)
                ? CliJson.Write(experiments.ToArray()) + "\n"
                : parse.GetValue(csv) ? EnergyTable.Csv(experiments)
                : experiments.Count > 1 ? EnergyTable.Text(experiments) + "\n" + EnergyTable.Comparison(experiments)
                : EnergyTable.Text(experiments));
            return 0;
        }));
        return command;
    }

    /// <summary>Creates and starts an experiment.</summary>
    public static async Task<ExperimentResponse> StartAsync(FleetApiClient client, string? id, string? name, string[] machines, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var created = await client.CreateExperimentAsync(new CreateExperimentRequest(id, name, machines), cancellationToken).ConfigureAwait(false);
        return await client.StartExperimentAsync(created.Id, new StartExperimentRequest(at), cancellationToken).ConfigureAwait(false);
    }

    public static Task<ExperimentResponse> StopAsync(FleetApiClient client, string id, DateTimeOffset? at, bool failed, CancellationToken cancellationToken) =>
        client.StopExperimentAsync(id, new StopExperimentRequest(at, failed), cancellationToken);

    private static Command Start()
    {
        var machines = new Option<string[]>("--machine") { Description = "Machine measured by the experiment; repeat for several.", Required = true, HelpName = "NAME" };
        var name = new Option<string?>("--name") { Description = "A name for humans (default: the id)." };
        var id = new Option<string?>("--id") { Description = "The experiment id (default: generated, printed)." };
        var at = AtOption("Start time (default now).");
        var command = new Command("start", """
            Create and start an experiment; prints its id.

            Examples:
              ID=$(fleet exp start --machine srv-1 --name "resnet epoch sweep")
              fleet exp start --machine gpu-1 --machine gpu-2 --id allreduce-7 --at 10:00
            """)
        {
            machines, name, id, at,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("exp start", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var started = await StartAsync(client, parse.GetValue(id), parse.GetValue(name), parse.GetValue(machines)!, ParseAt(parse, at), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(started) : started.Id);
            return 0;
        }));
        return command;
    }

    private static Command Mark()
    {
        var id = new Argument<string>("ID");
        var phase = new Argument<string>("PHASE") { Description = "Name of the phase starting now (an epoch, a step)." };
        var at = AtOption("When the phase starts (default now).");
        var command = new Command("mark", """
            Start a named phase of a running experiment (e.g. each training epoch); says what it recorded.

            A phase lasts until the next mark or the end; the time before the first mark is reported
            as "(unmarked)".

            Examples:
              fleet exp mark $ID epoch-5
              fleet exp mark $ID eval --at 2026-11-25T10:42:00Z
            """)
        {
            id, phase, at,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("exp mark", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var name = parse.GetValue(phase)!;
            var info = await client.MarkExperimentAsync(parse.GetValue(id)!, new MarkRequest(name, ParseAt(parse, at)), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(info) : Marked(info, name.Trim()));
            return 0;
        }));
        return command;
    }

    /// <summary>What a mark recorded, from the phases the silo derived: where the new one starts, how long the one before lasted.</summary>
    private static string Marked(ExperimentResponse info, string name)
    {
        var index = info.Phases.Count - 1;
        if (index < 0 || info.Phases[index].Name != name)
        {
            return $"marked '{name}' in experiment {info.Id} (at the same instant as the next mark: it has no time of its own)";
        }

        var started = info.Phases[index].From;
        var before = index > 0 ? info.Phases[index - 1]
            : info.StartedAt is { } start && start < started ? new PhaseResponse("(unmarked)", start, started) : null;
        return $"experiment {info.Id}: phase '{name}' from {Units.Clock(started)} UTC"
            + (before is { To: { } end } ? $" (previous phase '{before.Name}': {Units.Duration((end - before.From).TotalSeconds)})" : string.Empty);
    }

    private static Command Stop()
    {
        var id = new Argument<string>("ID");
        var at = AtOption("End time (default now).");
        var failed = new Option<bool>("--failed") { Description = "Record the experiment as failed (its energy is still computed)." };
        var command = new Command("stop", """
            Stop an experiment and print its energy per machine and phase.

            Examples:
              fleet exp stop $ID
              fleet exp stop $ID --failed --json
            """)
        {
            id, at, failed,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("exp stop", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var info = await StopAsync(client, parse.GetValue(id)!, ParseAt(parse, at), parse.GetValue(failed), cancellationToken).ConfigureAwait(false);
            Console.Write(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(info) + "\n" : EnergyTable.Text([info]));
            return 0;
        }));
        return command;
    }

    /// <summary>`fleet exp cancel` and, for submitted commands, `fleet cancel`: the same command under two paths.</summary>
    public static Command Cancel(string path)
    {
        var id = new Argument<string>("ID");
        var command = new Command("cancel", $"""
            Cancel an experiment: no energy is computed and its machines are released.

            A submitted command is stopped on its machines (SIGTERM, then SIGKILL after the grace period).

            Example:
              fleet {path} $ID
            """)
        {
            id,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(path, async () =>
        {
            using var client = GlobalOptions.Client(parse);
            await client.CancelExperimentAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("ID");
        var command = new Command("show", """
            Show an experiment: status, phases and energy per machine and phase (so far, while it runs).

            Examples:
              fleet exp show $ID
              fleet exp show $ID --json | jq '.results[] | select(.phase == "") | .mean_watts'
            """)
        {
            id,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("exp show", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var info = await client.GetExperimentAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            Console.Write(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(info) + "\n" : EnergyTable.Text([info]));
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var count = new Option<int>("--count") { Description = "How many of the most recent experiments.", DefaultValueFactory = _ => 20 };
        var command = new Command("list", """
            The most recent experiments, newest first.

            Examples:
              fleet exp list
              fleet exp list --count 5 --json
            """)
        {
            count,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("exp list", async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var experiments = await client.ListExperimentsAsync(parse.GetValue(count), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(CliJson.Write(experiments));
                return 0;
            }

            Console.WriteLine($"{"EXPERIMENT",-34} {"STATUS",-10} {"STARTED (UTC)",-20} {"NAME",-24} MACHINES");
            foreach (var e in experiments)
            {
                var started = e.StartedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
                Console.WriteLine($"{e.Id,-34} {EnergyTable.Status(e.Status),-10} {started,-20} {e.Name,-24} {string.Join(", ", e.Machines)}");
            }

            return 0;
        }));
        return command;
    }

    private static Option<string?> AtOption(string description) => new("--at") { Description = $"{description} {TimeInput.Forms}.", HelpName = "TIME" };

    private static DateTimeOffset? ParseAt(ParseResult parse, Option<string?> at) =>
        parse.GetValue(at) is { } text ? GlobalOptions.ParseTime(text, "--at") : null;
}
