using System.CommandLine;
using Fleet.Cli.Commands;

var root = new RootCommand("fleet: wall-socket energy of experiments, measured by OmegaWatt wattmeters.")
{
    DemoCommand.Create(),
    StackCommands.Up(),
    StackCommands.Down(),
    StackCommands.Status(),
    DecodeCommand.Create(),
    EnergyCommand.Create(),
    MachinesCommand.Create(),
    ExperimentCommands.Create(),
    ExperimentCommands.Report(),
    RunCommand.Create(),
    PlotCommand.Create(),
    ExportCommand.Create(),
    ImportCommand.Create(),
    WatchCommand.Create(),
    CertsCommand.Create(),
    AgentsCommand.Create(),
    TokensCommand.Create(),
    GlobalOptions.Url,
    GlobalOptions.Token,
    GlobalOptions.Json,
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line per problem instead of a page of help; the help is one flag away.
    var command = parsed.CommandResult.Command == root ? "fleet" : $"fleet {parsed.CommandResult.Command.Name}";
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"{command}: {error.Message}").ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync($"Try '{command} --help'.").ConfigureAwait(false);
    return 2;
}

return await parsed.InvokeAsync().ConfigureAwait(false);
