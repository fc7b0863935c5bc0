using Fleet.Cli.Commands;

return await FleetCommand.RunAsync(FleetCommand.Create(), args).ConfigureAwait(false);
