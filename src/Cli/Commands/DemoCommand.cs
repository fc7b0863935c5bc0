using System.CommandLine;
using System.Globalization;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Machines;
using Fleet.Cli.Api;
using Fleet.Cli.Local;
using Fleet.Cli.Reports;
using Fleet.OmegaWatt.Simulation;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet demo</c>: the whole job on one machine in one command. A private PostgreSQL, a silo,
/// an agent with a simulated box, three machines, an experiment with two phases, its energy
/// table checked against the simulator's known profile.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The simulated machines and their sockets on the demo box.</summary>
    private static readonly (string Machine, int Socket, string Load)[] Machines =
    [
        ("idle-srv", 1, "constant 95 W"),
        ("burst-srv", 2, "110/270 W square wave, 4 s period"),
        ("gpu-srv", 3, "ramp from 180 W at 2 W/s"),
    ];

    /// <summary>How long after the experiment's end its last frames may take to be stored before the demo gives up.</summary>
    private static readonly TimeSpan FramesTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How far the measured energy may be from the profile: the box's own accuracy is 1.5 %.</summary>
    private const double Tolerance = 0.005;

    /// <summary>Where the plot goes unless -o says otherwise: the data directory, never the current one (a checkout).</summary>
    internal static string DefaultPlotPath => Path.Combine(LocalStack.DefaultDataDirectory, "fleet-demo.png");

    public static Command Create()
    {
        var keep = new Option<bool>("--keep") { Description = "Leave the stack running afterwards (as `fleet up`, in $FLEET_DATA) and print its URLs." };
        var seconds = new Option<int>("--seconds") { Description = "Length of the demo experiment (two phases of half each).", DefaultValueFactory = _ => 16 };
        var plot = GlobalOptions.Out("Where to write the experiment's power plot (.png or .svg); default: fleet-demo.png in $FLEET_DATA or ~/.local/share/fleet, never the current directory.");
        var command = new Command("demo", """
            Run Fleet end to end on this machine with a simulated box, and check its numbers.

            Starts a private PostgreSQL, a silo and an agent with a simulated box holding three machines,
            runs an experiment with two phases, prints the energy per machine and phase (checked against
            the simulator's known profile), plots it, and stops everything (unless --keep).

            Examples:
              ./fleet demo
              ./fleet demo --keep --seconds 30
              ./fleet demo -o /tmp/demo.svg
            """)
        {
            keep, seconds, plot,
        };
        GlobalOptions.RefuseJson(command, "it is a guided run for people; `fleet report --json` gives its experiment as JSON");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("demo", async () =>
        {
            var length = parse.GetValue(seconds);
            if (length is < 4 or > 3600)
            {
                throw new CliException("--seconds must be between 4 and 3600");
            }

            var plotPath = Path.GetFullPath(parse.GetValue(plot) ?? DefaultPlotPath);
            if (!Plotting.PowerChart.IsSupported(plotPath))
            {
                throw new CliException($"--out {plotPath}: the plot is written as .png or .svg");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(plotPath)!);
            var keepRunning = parse.GetValue(keep);
            var directory = keepRunning ? LocalStack.DefaultDataDirectory : Directory.CreateTempSubdirectory("fleet-demo-").FullName;
            var stack = new LocalStack(directory);
            try
            {
                var state = await stack.UpAsync(preferDefaultPorts: keepRunning, Console.Error, [], cancellationToken).ConfigureAwait(false);
                using var client = new FleetApiClient(ApiSettings.Resolve(state.Url, null));
                var (ok, id) = await RunExperimentAsync(client, state.BoxStart, length, cancellationToken).ConfigureAwait(false);
                await PlotCommand.PlotExperimentAsync(client, id, plotPath, cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"plot of the experiment: {plotPath}");
                if (keepRunning)
                {
                    StackCommands.PrintRunning(state);
                }

                return ok ? 0 : 1;
            }
            finally
            {
                if (!keepRunning)
                {
                    await Console.Error.WriteLineAsync("stopping the demo stack...").ConfigureAwait(false);
                    await stack.DownAsync(TextWriter.Null, CancellationToken.None).ConfigureAwait(false);
                    stack.DeletePostgresData();
                    Directory.Delete(directory, recursive: true);
                }
            }
        }));
        return command;
    }

    private static async Task<(bool Ok, string Id)> RunExperimentAsync(FleetApiClient client, DateTimeOffset boxStart, int seconds, CancellationToken cancellationToken)
    {
        // Sockets are assigned on a box Fleet knows, as a user does after `fleet watch` shows it.
        await WaitForBoxAsync(client, cancellationToken).ConfigureAwait(false);
        foreach (var (machine, socket, _) in Machines)
        {
            await client.AssignSocketsAsync(machine, new AssignSocketsRequest([$"{LocalStack.DemoBoxId}:{socket}"], boxStart.AddMinutes(-1)), cancellationToken).ConfigureAwait(false);
        }

        var start = boxStart.AddSeconds(2);
        var middle = start.AddSeconds(seconds / 2.0);
        var end = start.AddSeconds(seconds);
        var started = await ExperimentCommands.StartAsync(client, null, "fleet demo", [.. Machines.Select(m => m.Machine)], start, cancellationToken).ConfigureAwait(false);
        var id = started.Id;
        await client.MarkExperimentAsync(id, new MarkRequest("warmup", start), cancellationToken).ConfigureAwait(false);
        await client.MarkExperimentAsync(id, new MarkRequest("load", middle), cancellationToken).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"experiment {id}: measuring {seconds} s (phases warmup and load)...").ConfigureAwait(false);
        await WaitForFramesAsync(client, start, end, cancellationToken).ConfigureAwait(false);
        var finished = await ExperimentCommands.StopAsync(client, id, end, failed: false, cancellationToken).ConfigureAwait(false);
        Console.Write(EnergyTable.Text([finished]));
        return (CompareWithProfile(finished, boxStart), id);
    }

    /// <summary>Waits (bounded) until the simulated box's first frames are stored and the silo lists it.</summary>
    private static async Task WaitForBoxAsync(FleetApiClient client, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + FramesTimeout;
        while (!(await client.ListBoxesAsync(cancellationToken).ConfigureAwait(false)).Any(b => b.BoxId == LocalStack.DemoBoxId))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"the simulated box sent no frame within {FramesTimeout.TotalSeconds:F0} s (see agent.log and silo.log in the data directory)"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the box's frames are stored up to <paramref name="end"/>: the experiment is
    /// measured from stored frames, and on a busy machine they arrive a while after the wall
    /// clock passed its end. Bounded, with a message that says what was missing. The countdown
    /// says when the experiment starts, then how much of its own length is left.
    /// </summary>
    private static async Task WaitForFramesAsync(FleetApiClient client, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        var deadline = DateTimeOffset.UtcNow + (end - DateTimeOffset.UtcNow) + FramesTimeout;
        while (last is null || last < end)
        {
            var now = DateTimeOffset.UtcNow;
            if (now > deadline)
            {
                await Console.Error.WriteLineAsync().ConfigureAwait(false);
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"the simulated box's frames were not stored up to the end of the experiment ({IsoTime.Format(end)}) within {FramesTimeout.TotalSeconds:F0} s after it; last stored frame: {(last is { } t ? IsoTime.Format(t) : "none")} (see agent.log and silo.log in the data directory)"));
            }

            await Console.Error.WriteAsync(Countdown(start, end, now)).ConfigureAwait(false);
            // The list, not /api/boxes/BOX: a box is unknown (404) until its first frame is stored.
            var boxes = await client.ListBoxesAsync(cancellationToken).ConfigureAwait(false);
            last = boxes.FirstOrDefault(b => b.BoxId == LocalStack.DemoBoxId)?.LastFrameTime;
            if (last is null || last < end)
            {
                await Task.Delay(TimeSpan.FromMilliseconds((end - now).TotalSeconds > 1 ? 1000 : 200), cancellationToken).ConfigureAwait(false);
            }
        }

        await Console.Error.WriteLineAsync().ConfigureAwait(false);
    }

    /// <summary>The status line: "starts in 2 s", then "12 s left of 16 s", then waiting for the last frames.</summary>
    internal static string Countdown(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var length = (end - start).TotalSeconds;
        return now < start ? string.Create(CultureInfo.InvariantCulture, $"\r  starts in {Math.Ceiling((start - now).TotalSeconds),3:F0} s              ")
            : now < end ? string.Create(CultureInfo.InvariantCulture, $"\r  {Math.Min(length, Math.Ceiling((end - now).TotalSeconds)),4:F0} s left of {length:F0} s          ")
            : "\r  waiting for the last frames to be stored...";
    }

    private static bool CompareWithProfile(ExperimentResponse experiment, DateTimeOffset boxStart)
    {
        Console.WriteLine();
        Console.WriteLine("  Check against the simulator's profile (noise-free):");
        Console.WriteLine($"  {"MACHINE",-16} {"PHASE",-14} {"MEASURED J",12} {"PROFILE J",12} {"DIFF",8}  LOAD");
        var ok = true;
        foreach (var result in experiment.Results)
        {
            var (_, socket, load) = Machines.Single(m => m.Machine == result.Machine);
            var expected = DemoBox.ProfileJoules(socket, (result.From - boxStart).TotalSeconds, (result.To - boxStart).TotalSeconds);
            var difference = expected == 0 ? 0 : (result.Joules - expected) / expected;
            ok &= Math.Abs(difference) <= Tolerance;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Machine,-16} {(string.IsNullOrEmpty(result.Phase) ? "(all)" : result.Phase),-14} {result.Joules,12:F1} {expected,12:F1} {difference * 100,7:F2}%  {load}"));
        }

        Console.WriteLine(ok
            ? $"  every machine and phase within {Tolerance * 100:F1} % of the profile"
            : $"  SOME RESULTS DIFFER FROM THE PROFILE BY MORE THAN {Tolerance * 100:F1} %");
        return ok;
    }
}
