using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Runs;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.OmegaWatt.Time;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Storage.Runs;
using Microsoft.AspNetCore.Http.HttpResults;
using ExperimentInfo = Fleet.Grains.Abstractions.Messages.ExperimentInfo;
using GrainStatus = Fleet.Grains.Abstractions.Messages.ExperimentStatus;

namespace Fleet.Silo.Api;

/// <summary>
/// Experiments whose command the cluster runs on each machine through its runner: submitting one,
/// the queue of those holding or waiting for machines, and what their commands print.
/// </summary>
internal static partial class SubmissionEndpoints
{
    /// <summary>Longest idle baseline: a baseline is a few tens of seconds; an hour is a mistake in units.</summary>
    private const double MaxIdleBaselineSeconds = 3600;

    /// <summary>Longest wait between SIGTERM and SIGKILL on cancel.</summary>
    private const double MaxCancelGraceSeconds = 600;

    /// <summary>How many recent experiments the queue looks through (the registry's recent list).</summary>
    private const int QueueScan = 1000;

    public static void MapSubmissions(this RouteGroupBuilder api)
    {
        api.MapPost("/submissions", async Task<Created<ExperimentResponse>> (SubmitRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var id = request.Id is null
                ? string.Create(CultureInfo.InvariantCulture, $"exp-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}")
                : ApiParsing.Id(request.Id, "experiment id");
            var run = Run(request);
            if (request.Name is not null && string.IsNullOrWhiteSpace(request.Name))
            {
                throw new ApiBadRequestException("an experiment needs a name (or none: the command line is used)");
            }

            var machines = (request.Machines ?? []).Select(m => ApiParsing.Id(m, "machine name")).Distinct(StringComparer.Ordinal).ToList();
            if (machines.Count == 0)
            {
                throw new ApiBadRequestException("a submission needs at least one machine, e.g. {\"machines\":[\"srv-1\"],\"command\":[\"python\",\"train.py\"]}");
            }

            foreach (var machine in machines)
            {
                if ((await grains.GetGrain<IMachineGrain>(machine).GetAssignmentsAsync().ConfigureAwait(false)).Count == 0)
                {
                    throw new ApiBadRequestException($"unknown machine '{machine}': assign it to a socket first (PUT /api/machines/{machine}/sockets)");
                }
            }

            // Refused now rather than queued forever: nothing would ever start the command.
            foreach (var machine in machines)
            {
                var presence = await grains.GetGrain<IRunnerGrain>(machine).GetPresenceAsync().ConfigureAwait(false);
                if (!presence.Alive)
                {
                    var last = presence.LastHeartbeat is { } at ? $" (its runner on {presence.Host} was last heard at {IsoTime.Format(at)})" : string.Empty;
                    throw new ApiBadRequestException($"no runner for machine {machine}{last}: start `Fleet.AgentHost --runner --machine {machine}` on it");
                }
            }

            var name = request.Name ?? string.Join(' ', run.Command);
            var info = await grains.GetGrain<IExperimentGrain>(id).SubmitRunAsync(name, machines, run).ConfigureAwait(false);
            return TypedResults.Created($"/api/experiments/{id}", info.ToResponse());
        })
        .WithSummary("Submits a command to run on machines through their runners, measured as one experiment (queued until it holds every machine)")
        .WithDescription("Refused (400) when a machine is unknown or has no live runner. The experiment is queued, then measures the idle baseline when asked, then runs the command on every machine; it ends when every command has ended.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapGet("/queue", async (IGrainFactory grains) =>
        {
            var ids = await grains.GetGrain<IFleetGrain>(0).ListRecentExperimentsAsync(QueueScan).ConfigureAwait(false);
            var infos = await Task.WhenAll(ids.Select(id => grains.GetGrain<IExperimentGrain>(id).GetAsync().AsTask())).ConfigureAwait(false);
            return Queue(infos.OfType<ExperimentInfo>());
        })
        .WithSummary("The experiments queued, measuring their idle baseline or running, oldest first, with what each queued one waits for");

        api.MapGet("/experiments/{id}/logs", async (string id, long? after, int? limit, string? machine, IGrainFactory grains, RunLogStore logs, CancellationToken cancellationToken) =>
        {
            var experimentId = ApiParsing.Id(id, "experiment id");
            var only = machine is null ? null : ApiParsing.Id(machine, "machine name");
            if (after is < 0)
            {
                throw new ApiBadRequestException($"'after' = {after}: give 0 (from the first line) or the next_after of the previous answer");
            }

            // The status first: a line stored before the experiment ended is read below, so a
            // client that stops at done = true after reading everything has missed nothing.
            var info = await grains.GetGrain<IExperimentGrain>(experimentId).GetAsync().ConfigureAwait(false) ?? throw new ApiNotFoundException($"unknown experiment '{experimentId}'");
            var done = info.Status is not (GrainStatus.Queued or GrainStatus.Baseline or GrainStatus.Running);
            var lines = await logs.ReadAsync(experimentId, after ?? 0, Math.Clamp(limit ?? 1000, 1, 10_000), only, cancellationToken).ConfigureAwait(false);
            return new LogsResponse([.. lines.Select(l => l.ToResponse())], lines.Count > 0 ? lines[^1].Id : after ?? 0, done);
        })
        .WithSummary("What the experiment's commands printed: lines after 'after' (0 = from the first), at most 'limit' (1 to 10000, default 1000), of one machine or all")
        .WithDescription("Follow a run by passing next_after back as 'after' until done is true and a read returns no line.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>The command, working directory, environment and times of a request, or a 400 saying what is wrong.</summary>
    internal static RunSpec Run(SubmitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = request.Command ?? [];
        if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0]))
        {
            throw new ApiBadRequestException("a submission needs a command (argv, not a shell line), e.g. {\"command\":[\"python\",\"train.py\"]}");
        }

        if (command.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ApiBadRequestException("a command argument is null or holds a NUL character");
        }

        if (request.WorkingDirectory is { } directory && (string.IsNullOrWhiteSpace(directory) || directory.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ApiBadRequestException("working_directory is blank or holds a NUL character: give a directory on the machines, or none (the runner's)");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Environment ?? new Dictionary<string, string?>())
        {
            if (!EnvironmentName().IsMatch(key))
            {
                throw new ApiBadRequestException($"environment variable '{key}' is not a valid name: letters, digits and '_', not starting with a digit");
            }

            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ApiBadRequestException($"environment variable {key} has no value or holds a NUL character");
            }

            environment[key] = value;
        }

        var baseline = request.IdleBaselineSeconds ?? 0;
        if (!double.IsFinite(baseline) || baseline < 0 || baseline > MaxIdleBaselineSeconds)
        {
            throw new ApiBadRequestException(string.Create(CultureInfo.InvariantCulture, $"idle_baseline_seconds = {baseline}: give 0 (none) to {MaxIdleBaselineSeconds} seconds"));
        }

        var grace = request.CancelGraceSeconds ?? 10;
        if (!double.IsFinite(grace) || grace < 0 || grace > MaxCancelGraceSeconds)
        {
            throw new ApiBadRequestException(string.Create(CultureInfo.InvariantCulture, $"cancel_grace_seconds = {grace}: give 0 to {MaxCancelGraceSeconds} seconds"));
        }

        return new RunSpec([.. command!], request.WorkingDirectory, environment, baseline, grace);
    }

    /// <summary>
    /// Experiments holding or waiting for machines, oldest first (by submission, else start), and
    /// for each queued one the experiments before it that share a machine: what it waits for.
    /// </summary>
    internal static QueueResponse Queue(IEnumerable<ExperimentInfo> experiments)
    {
        var active = experiments
            .Where(e => e.Status is GrainStatus.Queued or GrainStatus.Baseline or GrainStatus.Running)
            .OrderBy(e => e.SubmittedAt ?? e.StartedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var entries = new List<QueueEntryResponse>();
        for (var i = 0; i < active.Count; i++)
        {
            var e = active[i];
            var waitingFor = e.Status == GrainStatus.Queued
                ? active.Take(i).Where(before => before.Machines.Intersect(e.Machines, StringComparer.Ordinal).Any()).Select(before => before.Id).ToList()
                : [];
            entries.Add(new QueueEntryResponse(i + 1, e.Id, e.Name, e.Status.ToResponse(), [.. e.Machines], e.SubmittedAt, e.StartedAt, waitingFor));
        }

        return new QueueResponse(entries);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();
}
