using System.CommandLine;
using System.CommandLine.Help;
using Fleet.Cli.Parsing;
using Fleet.Cli.Terminal;

namespace Fleet.Cli.Commands;

/// <summary>The `fleet` command: every subcommand, the shared options, and how a command line is read and run.</summary>
internal static class FleetCommand
{
    private static readonly VersionOption Version = new();

    public static Command Create()
    {
        // A plain Command rather than RootCommand: RootCommand takes its name from the running
        // file (Fleet.Cli), and help's usage lines must say what people type.
        var root = new Command("fleet", """
            fleet: wall-socket energy of experiments, measured by OmegaWatt wattmeters.

            Examples:
              fleet demo                                   a whole run on this machine, simulated box
              fleet up --serial /dev/ttyUSB0=omegawatt-a   a local stack reading a real box
              fleet run --machine srv-1 -- python train.py measure a command
              fleet report                                 the latest experiment
              fleet COMMAND --help                         details and examples of a command
            """)
        {
            DemoCommand.Create(),
            StackCommands.Up(),
            StackCommands.Down(),
            StackCommands.Status(),
            WatchCommand.Create(),
            MachinesCommand.Create(),
            SocketsCommand.Create(),
            RunCommand.Create(),
            SubmitCommand.Create(),
            QueueCommand.Create(),
            LogsCommand.Create(),
            ExperimentCommands.Cancel("cancel"),
            RunnersCommand.Create(),
            ExperimentCommands.Create(),
            ExperimentCommands.Report(),
            EnergyCommand.Create(),
            PlotCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
            DecodeCommand.Create(),
            CertsCommand.Create(),
            AgentsCommand.Create(),
            TokensCommand.Create(),
            GlobalOptions.Url,
            GlobalOptions.Token,
            GlobalOptions.Json,
            new HelpOption { Action = new SummaryHelpAction() },
            Version,
        };

        // Unknown words are ParseProblems' to report, once each and with a suggestion.
        root.TreatUnmatchedTokensAsErrors = false;
        ShowHelpWhenBare(root);
        return root;
    }

    public static async Task<int> RunAsync(Command root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parsed = root.Parse(args);
        var problems = parsed.Action is SummaryHelpAction || parsed.GetResult(Version) is not null ? [] : ParseProblems.Find(parsed, args);
        if (problems.Count > 0)
        {
            // One line per problem instead of a page of help; the help is one flag away.
            var command = ParseProblems.CommandPath(parsed);
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"{command}: {Printable.Line(problem)}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"Try '{command} --help'.").ConfigureAwait(false);
            return 2;
        }

        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>`fleet`, `fleet exp` or `fleet machines` alone list what they hold instead of failing.</summary>
    private static void ShowHelpWhenBare(Command command)
    {
        if (command.Subcommands.Count == 0)
        {
            return;
        }

        if (command.Action is null)
        {
            var help = new SummaryHelpAction();
            command.SetAction(help.Invoke);
        }

        foreach (var subcommand in command.Subcommands)
        {
            ShowHelpWhenBare(subcommand);
        }
    }
}
