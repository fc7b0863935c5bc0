using System.CommandLine;
using Fleet.Cli.Commands;

var root = new RootCommand("fleet: wall-socket energy of experiments, measured by OmegaWatt wattmeters.")
{
    DecodeCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
