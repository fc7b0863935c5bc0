using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Api;
using Fleet.Cli.Local;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet up</c>, <c>fleet down</c>, <c>fleet status</c>: Fleet on this machine, kept running.</summary>
internal static class StackCommands
{
    public static Command Up()
    {
        var command = new Command("up", """
            Start Fleet on this machine and keep it running: a private PostgreSQL (from the system's
            binaries; installed with apt-get when missing and run as root), a silo, and an agent with a
            simulated box (sim-1: machines on sockets 1-3). Data and logs: $FLEET_DATA or ~/.local/share/fleet.
            `fleet down` stops it.
            """);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("up", async () =>
        {
            var stack = new LocalStack(LocalStack.DefaultDataDirectory);
            var state = await stack.UpAsync(preferDefaultPorts: true, Console.Error, cancellationToken).ConfigureAwait(false);
            PrintRunning(state);
            return 0;
        }));
        return command;
    }

    public static Command Down()
    {
        var command = new Command("down", "Stop the local stack started by `fleet up` (agent, silo, PostgreSQL). Data is kept.");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("down", async () =>
        {
            await new LocalStack(LocalStack.DefaultDataDirectory).DownAsync(Console.Error, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("stopped").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    public static Command Status()
    {
        var command = new Command("status", "Boxes (frames/s, missing frames, last frame age), machines and their sockets, recent experiments.");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("status", async () =>
        {
            // The local stack's URL unless one was given explicitly.
            var local = new LocalStack(LocalStack.DefaultDataDirectory).ReadState();
            var url = parse.GetValue(GlobalOptions.Url) ?? Environment.GetEnvironmentVariable("FLEET_URL") ?? local?.Url;
            using var client = new FleetApiClient(ApiSettings.Resolve(url, parse.GetValue(GlobalOptions.Token)));
            var silos = await client.ListSilosAsync(cancellationToken).ConfigureAwait(false);
            var boxes = await client.ListBoxesAsync(cancellationToken).ConfigureAwait(false);
            var machines = await client.ListAssignmentsAsync(DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            var experiments = await client.ListExperimentsAsync(10, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(CliJson.Write(new StatusReport(silos, boxes, machines, experiments)));
                return 0;
            }

            Console.WriteLine($"silo: {client.BaseAddress.OriginalString.TrimEnd('/')}{(local is null ? string.Empty : $" (local stack since {local.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)")}");
            Console.WriteLine();
            Console.WriteLine($"{"SILO",-24} {"ADDRESS",-28} {"STATUS",-10} {"SINCE (UTC)",-20}");
            foreach (var silo in silos)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{silo.Name,-24} {silo.Address,-28} {silo.Status,-10} {silo.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}"));
            }

            Console.WriteLine();
            // REFUSED: batches the meter refused for good since it started; QUARANTINED: what the
            // box's agent holds in its spool's rejected/ directory.
            Console.WriteLine($"{"BOX",-16} {"PLUGS",5} {"FRAMES/S",9} {"MISSING",8} {"REFUSED",8} {"QUARANTINED",11} {"LAST FRAME AGE",15} {"AGENT",-20}");
            foreach (var box in boxes)
            {
                // The age as this host sees it; `fleet watch` shows the silo's own.
                var age = box.LastFrameTime is { } last ? string.Create(CultureInfo.InvariantCulture, $"{(DateTimeOffset.UtcNow - last).TotalSeconds:F1} s") : "never";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{box.BoxId,-16} {box.Plugs,5} {box.FramesPerSecond,9:F1} {box.FramesMissingById,8} {box.BatchesRejected,8} {box.BatchesQuarantined,11} {age,15} {box.AgentHost ?? "-",-20}"));
            }

            Console.WriteLine();
            Console.WriteLine($"{"MACHINE",-16} SOCKETS");
            foreach (var machine in machines.GroupBy(m => m.Machine, StringComparer.Ordinal))
            {
                Console.WriteLine($"{machine.Key,-16} {string.Join(", ", machine.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Box}:{m.Socket}")))}");
            }

            Console.WriteLine();
            Console.WriteLine($"{"EXPERIMENT",-34} {"STATUS",-10} MACHINES");
            foreach (var experiment in experiments)
            {
                Console.WriteLine($"{experiment.Id,-34} {EnergyTable.Status(experiment.Status),-10} {string.Join(", ", experiment.Machines)}");
            }

            return 0;
        }));
        return command;
    }

    public static void PrintRunning(StackState state)
    {
        Console.WriteLine($"""
            Fleet is running (data and logs in {state.DataDirectory}):
              API         {state.Url}/api   (OpenAPI: {state.Url}/openapi/v1.json)
              metrics     {state.Url}/metrics (Prometheus format)
              PostgreSQL  Host=127.0.0.1;Port={state.PostgresPort};Username=fleet;Database=fleet
              Grafana     not started here: see deploy/docker-compose.yml
            Try:  ./fleet status   ./fleet machines list   ./fleet energy --box sim-1 --socket 1 --from <time> --to now
            Stop: ./fleet down
            """);
    }
}
