using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Boxes;
using Fleet.Cli.Api;
using Fleet.Cli.Local;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet up</c>, <c>fleet down</c>, <c>fleet status</c>: Fleet on this machine, kept running.</summary>
internal static class StackCommands
{
    public static Command Up()
    {
        var serial = new Option<string[]>("--serial")
        {
            Description = "Read a real box on this serial port instead of the simulated one, as box BOX (an id you choose); repeat for several boxes.",
            HelpName = "PORT=BOX",
            AllowMultipleArgumentsPerToken = false,
        };
        var anyPorts = new Option<bool>("--any-ports")
        {
            Description = "Use free ports instead of 5080 (API), 11111, 30000 and 55432: a second stack next to another one (`fleet status` finds it through $FLEET_DATA).",
        };
        var command = new Command("up", """
            Start Fleet on this machine and keep it running.

            A private PostgreSQL (from the system's binaries; installed with apt-get when missing and
            run as root), a silo, and an agent: with --serial, reading real boxes on serial ports;
            without, a simulated box (sim-1: machines on sockets 1-3). Data and logs: $FLEET_DATA or
            ~/.local/share/fleet. `fleet down` stops it.

            Examples:
              fleet up
              fleet up --serial /dev/ttyUSB0=omegawatt-a
              fleet up --serial /dev/ttyUSB0=omegawatt-a --serial /dev/ttyUSB1=omegawatt-b
            """)
        {
            serial, anyPorts,
        };
        GlobalOptions.RefuseJson(command, "it prints where the stack runs; `fleet status --json` describes it");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("up", async () =>
        {
            var boxes = (parse.GetValue(serial) ?? []).Select(SerialBox.Parse).ToList();
            var repeated = boxes.GroupBy(b => b.Box, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)
                ?? boxes.GroupBy(b => b.Port, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
            {
                throw new CliException($"--serial: '{repeated.Key}' is given twice (one box per port, one port per box)");
            }

            foreach (var box in boxes)
            {
                await box.CheckAsync(cancellationToken).ConfigureAwait(false);
            }

            var stack = new LocalStack(LocalStack.DefaultDataDirectory);
            var state = await stack.UpAsync(!parse.GetValue(anyPorts), Console.Error, boxes, cancellationToken).ConfigureAwait(false);
            PrintRunning(state);
            return 0;
        }));
        return command;
    }

    public static Command Down()
    {
        var command = new Command("down", """
            Stop the local stack started by `fleet up` (agent, silo, PostgreSQL). Data is kept.

            Example:
              fleet down
            """);
        GlobalOptions.RefuseJson(command, "it only stops processes");
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
        var command = new Command("status", """
            Boxes (frames/s, missing frames, age of the last frame, who feeds them), machines and their sockets, recent experiments.

            Examples:
              fleet status
              fleet status --json | jq '.boxes[] | {box_id, last_frame_time}'
            """);
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
            Console.Write(BoxTable(boxes, DateTimeOffset.UtcNow));
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

    /// <summary>
    /// The boxes' table. REFUSED: batches the meter refused for good since it started; QUARANTINED:
    /// what the box's agent holds in its spool's rejected/ directory. The age is as this host sees
    /// it (`fleet watch` shows the silo's own), in the largest unit that reads well.
    /// </summary>
    internal static string BoxTable(IReadOnlyList<BoxResponse> boxes, DateTimeOffset now)
    {
        var output = new System.Text.StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"{"BOX",-16} {"PLUGS",5} {"FRAMES/S",9} {"MISSING",8} {"REFUSED",8} {"QUARANTINED",11} {"LAST FRAME",18}  {"SOURCE",-24}");
        foreach (var box in boxes)
        {
            var age = box.LastFrameTime is { } last ? Units.Duration((now - last).TotalSeconds) + " ago" : "never";
            output.AppendLine(CultureInfo.InvariantCulture,
                $"{box.BoxId,-16} {box.Plugs,5} {box.FramesPerSecond,9:F1} {box.FramesMissingById,8} {box.BatchesRejected,8} {box.BatchesQuarantined,11} {age,18}  {SourceName.Short(box.AgentHost),-24}");
        }

        return output.ToString();
    }

    public static void PrintRunning(StackState state)
    {
        var boxes = state.Boxes is { Count: > 0 } named ? string.Join(", ", named) : LocalStack.DemoBoxId;
        Console.WriteLine($"""
            Fleet is running (data and logs in {state.DataDirectory}):
              API         {state.Url}/api   (OpenAPI: {state.Url}/openapi/v1.json)
              metrics     {state.Url}/metrics (Prometheus format)
              PostgreSQL  Host=127.0.0.1;Port={state.PostgresPort};Username=fleet;Database=fleet
              boxes       {boxes}
              Grafana     not started here: see deploy/docker-compose.yml
            Try:  ./fleet watch   ./fleet status   ./fleet machines add NAME --socket {boxes.Split(", ")[0]}:1
            Stop: ./fleet down
            """);
    }
}
