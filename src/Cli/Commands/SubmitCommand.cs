using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Runs;
using Fleet.Cli.Api;
using Fleet.Cli.Parsing;
using Fleet.Cli.Reports;
using Fleet.Cli.Terminal;
using Fleet.OmegaWatt.Naming;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet submit -- CMD</c>: run a command on measured machines through their runners, queued
/// by the cluster until the machines are free, instead of ssh-ing to each one.
/// </summary>
internal static class SubmitCommand
{
    /// <summary>Between two looks at a waited-for experiment: a look computes its energy so far, so not more often.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var machines = new Option<string[]>("--machine") { Description = "A machine to run the command on (through its runner); repeat for several.", Required = true, HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "Experiment name (default: the command line)." };
        var id = new Option<string?>("--id") { Description = "The experiment id (default: generated, printed)." };
        var baseline = new Option<string?>("--idle-baseline") { Description = $"Measure the machines idle for this long before the command starts: {DurationInput.Forms}.", HelpName = "DURATION" };
        var directory = new Option<string?>("--cwd") { Description = "Working directory of the command on the machines (default: the runner's).", HelpName = "DIR" };
        var environment = new Option<string[]>("--env") { Description = "An environment variable of the command, K=V; repeat for several.", HelpName = "K=V", AllowMultipleArgumentsPerToken = false };
        var wait = new Option<bool>("--wait") { Description = "Wait for the experiment to end, print its report, and exit with the command's exit code." };
        var commandLine = new Argument<string[]>("CMD") { Description = "The command and its arguments (after --), run as is, not through a shell.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("submit", """
            Run a command on machines through their runners, measured as one experiment.

            The cluster queues it until every machine is free, measures the idle baseline when asked,
            then starts the command on each machine (Fleet.AgentHost --runner --machine M runs there).
            Prints the experiment id; with --wait, progress on stderr, then the report, and the
            command's exit code (the first non-zero one among the machines) as fleet's.

            Examples:
              fleet submit --machine srv-1 -- python train.py --epochs 10
              fleet submit --machine gpu-1 --machine gpu-2 --idle-baseline 30s --wait -- ./bench.sh
              fleet submit --machine srv-1 --cwd /data/run --env OMP_NUM_THREADS=8 -- ./solver
            """)
        {
            machines, name, id, baseline, directory, environment, wait, commandLine,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("submit", async () =>
        {
            var request = new SubmitRequest(
                parse.GetValue(id),
                parse.GetValue(name),
                [.. Ids(parse.GetValue(machines) ?? [], "machine name")],
                parse.GetValue(commandLine)!,
                parse.GetValue(directory),
                EnvironmentVariables(parse.GetValue(environment) ?? []),
                parse.GetValue(baseline) is { } text ? DurationInput.ParseSeconds(text, "--idle-baseline") : null);
            var json = parse.GetValue(GlobalOptions.Json);
            using var client = GlobalOptions.Client(parse);
            var submitted = await client.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(wait))
            {
                Console.WriteLine(json ? CliJson.Write(submitted) : submitted.Id);
                return 0;
            }

            await Console.Error.WriteLineAsync($"fleet submit: experiment {submitted.Id} submitted").ConfigureAwait(false);
            ExperimentResponse ended;

            // Ctrl-C ends the wait, not the process: the experiment goes on, and the user is told how to stop it.
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
            {
                signal.Cancel = true;
                interrupted.Cancel();
            });
            try
            {
                ended = await WaitAsync(client, submitted.Id, line => Console.Error.WriteLineAsync($"fleet submit: {line}"), PollInterval, interrupted.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"fleet submit: stopped waiting; experiment {submitted.Id} keeps running on the cluster (fleet logs {submitted.Id} --follow to watch it, fleet cancel {submitted.Id} to stop it)").ConfigureAwait(false);
                return 130;
            }
            catch (CliException error)
            {
                throw new CliException($"{error.Message} (experiment {submitted.Id} keeps running: fleet exp show {submitted.Id}, fleet cancel {submitted.Id})", error.ExitCode);
            }

            Console.Write(json ? CliJson.Write(ended) + "\n" : EnergyTable.Text([ended]));
            var (exitCode, why) = ExitCode(ended);
            if (why is not null)
            {
                await Console.Error.WriteLineAsync($"fleet submit: {Printable.Line(why)}").ConfigureAwait(false);
            }

            return exitCode;
        }));
        return command;
    }

    /// <summary>
    /// Looks at the experiment until it has ended, saying each new state once (queued behind
    /// whom, measuring the baseline, running); bounded only by the experiment's end or the token.
    /// </summary>
    internal static async Task<ExperimentResponse> WaitAsync(FleetApiClient client, string id, Func<string, Task> progress, TimeSpan interval, CancellationToken cancellationToken)
    {
        string? said = null;
        while (true)
        {
            var info = await client.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
            if (info.Status is ExperimentStatus.Finished or ExperimentStatus.Failed or ExperimentStatus.Cancelled)
            {
                return info;
            }

            var state = info.Status switch
            {
                ExperimentStatus.Queued => await QueuedAsync(client, info, cancellationToken).ConfigureAwait(false),
                ExperimentStatus.Baseline => $"measuring the idle baseline of {string.Join(", ", info.Machines)}{(info.Run is { IdleBaselineSeconds: > 0 } run ? $" ({Units.Duration(run.IdleBaselineSeconds)})" : string.Empty)}",
                ExperimentStatus.Running => $"running on {string.Join(", ", info.Machines)}",
                _ => "submitted, not started yet",
            };
            if (state != said)
            {
                await progress(state).ConfigureAwait(false);
                said = state;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// fleet's exit code for an ended experiment: 130 when cancelled, the first non-zero exit
    /// code among the machines, 1 with the reason when it failed without one (a runner lost), else 0.
    /// </summary>
    internal static (int ExitCode, string? Why) ExitCode(ExperimentResponse experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (experiment.Status == ExperimentStatus.Cancelled)
        {
            return (130, $"experiment {experiment.Id} was cancelled");
        }

        var runs = experiment.Runs ?? [];
        if (runs.FirstOrDefault(r => r.ExitCode is not (null or 0)) is { } failed)
        {
            return (failed.ExitCode!.Value, null);
        }

        if (experiment.Status == ExperimentStatus.Failed || runs.Any(r => r.ExitCode is null))
        {
            var error = runs.FirstOrDefault(r => r.ExitCode is null && r.Error is not null);
            var reason = experiment.Reason ?? (error is null ? "no exit code" : $"{error.Machine}: {error.Error}");
            return (1, $"experiment {experiment.Id} failed: {reason}");
        }

        return (0, null);
    }

    private static async Task<string> QueuedAsync(FleetApiClient client, ExperimentResponse info, CancellationToken cancellationToken)
    {
        var queue = await client.GetQueueAsync(cancellationToken).ConfigureAwait(false);
        var entry = queue.Experiments.FirstOrDefault(e => e.Id == info.Id);
        return entry is { WaitingFor.Count: > 0 }
            ? $"queued behind {string.Join(", ", entry.WaitingFor)}"
            : $"queued (waiting for {string.Join(", ", info.Machines)})";
    }

    private static IEnumerable<string> Ids(IEnumerable<string> names, string what) =>
        names.Select(n => IdRule.IsValid(n) ? n : throw new CliException(IdRule.Invalid(n, what), 2));

    private static Dictionary<string, string?>? EnvironmentVariables(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--env '{pair}' is not K=V (e.g. --env OMP_NUM_THREADS=8)"), 2);
            }

            environment[pair[..equals]] = pair[(equals + 1)..];
        }

        return environment;
    }
}
