using System.CommandLine;
using System.Diagnostics;
using Fleet.Cli.Api;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet run -- CMD</c>: measure a command's energy in one line, instead of ssh + kill + scp.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var machines = new Option<string[]>("--machine")
        {
            Description = "Machine(s) whose wall-socket energy is measured while the command runs (default: \"machine\" in ~/.config/fleet/config.json, else this host's name).",
            HelpName = "NAME",
        };
        var name = new Option<string?>("--name") { Description = "Experiment name (default: the command line)." };
        var commandLine = new Argument<string[]>("CMD") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", """
            Start an experiment, run a command here, stop the experiment and print its energy.

            The command's exit code is fleet's exit code; a failing command records a failed experiment.
            Without --machine, the machine is this host: "machine" in ~/.config/fleet/config.json, or
            the host name.

            Examples:
              fleet run -- python train.py --epochs 10
              fleet run --machine srv-1 -- python train.py --epochs 10
              fleet run --machine gpu-1 --machine gpu-2 --name allreduce -- ./bench.sh
            """)
        {
            machines, name, commandLine,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("run", async () =>
        {
            var arguments = parse.GetValue(commandLine)!;
            var measured = parse.GetValue(machines) ?? [];
            if (measured.Length == 0)
            {
                measured = [DefaultMachine(out var origin)];
                await Console.Error.WriteLineAsync($"fleet run: measuring machine {measured[0]} ({origin}; --machine to choose)").ConfigureAwait(false);
            }

            using var client = GlobalOptions.Client(parse);
            var started = await ExperimentCommands.StartAsync(client, null, parse.GetValue(name) ?? string.Join(' ', arguments), measured, null, cancellationToken).ConfigureAwait(false);
            var id = started.Id;
            await Console.Error.WriteLineAsync($"fleet run: experiment {id} started").ConfigureAwait(false);
            int exitCode;
            try
            {
                exitCode = await RunLocallyAsync(arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                await ExperimentCommands.StopAsync(client, id, null, failed: true, CancellationToken.None).ConfigureAwait(false);
                throw new CliException($"cannot run '{arguments[0]}': {error.Message} (experiment {id} recorded as failed)", 127);
            }
            catch (OperationCanceledException)
            {
                await ExperimentCommands.StopAsync(client, id, null, failed: true, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            var finished = await ExperimentCommands.StopAsync(client, id, null, failed: exitCode != 0, cancellationToken).ConfigureAwait(false);
            Console.Write(parse.GetValue(GlobalOptions.Json) ? CliJson.Write(finished) + "\n" : EnergyTable.Text([finished]));
            return exitCode;
        }));
        return command;
    }

    /// <summary>The machine this host is: the config file's "machine", else the host name (without a domain).</summary>
    private static string DefaultMachine(out string origin)
    {
        if (ApiSettings.ReadConfigFile().Machine is { Length: > 0 } configured)
        {
            origin = "\"machine\" in ~/.config/fleet/config.json";
            return configured;
        }

        origin = "this host's name";
        return Environment.MachineName.Split('.')[0];
    }

    private static async Task<int> RunLocallyAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(arguments[0]) { UseShellExecute = false };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
