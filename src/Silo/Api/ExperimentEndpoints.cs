using System.Globalization;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Experiments;
using Fleet.Grains.Abstractions;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Silo.Api;

internal static class ExperimentEndpoints
{
    public static void MapExperiments(this RouteGroupBuilder api)
    {
        api.MapPost("/experiments", async Task<Created<ExperimentResponse>> (CreateExperimentRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var id = request.Id is null
                ? string.Create(CultureInfo.InvariantCulture, $"exp-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}")
                : ApiParsing.Id(request.Id, "experiment id");
            if (request.Name is not null && string.IsNullOrWhiteSpace(request.Name))
            {
                throw new ApiBadRequestException("an experiment needs a name (or none: the id is used)");
            }

            var machines = (request.Machines ?? []).Select(m => ApiParsing.Id(m, "machine name")).Distinct().ToList();
            if (machines.Count == 0)
            {
                throw new ApiBadRequestException("an experiment needs at least one machine");
            }

            // An unknown machine is a mistake in the request, not a conflict with the experiment's state.
            foreach (var machine in machines)
            {
                if ((await grains.GetGrain<IMachineGrain>(machine).GetAssignmentsAsync().ConfigureAwait(false)).Count == 0)
                {
                    throw new ApiBadRequestException($"unknown machine '{machine}': assign it to a socket first (PUT /api/machines/{machine}/sockets)");
                }
            }

            var info = await grains.GetGrain<IExperimentGrain>(id).SubmitAsync(request.Name ?? id, machines).ConfigureAwait(false);
            return TypedResults.Created($"/api/experiments/{id}", info.ToResponse());
        })
        .WithSummary("Submits an experiment on machines (the id is generated when absent)")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapGet("/experiments", async (int? count, IGrainFactory grains) =>
        {
            // The registry keeps the most recent ids; the full history is in SQL (experiments table).
            var ids = await grains.GetGrain<IFleetGrain>(0).ListRecentExperimentsAsync(Math.Clamp(count ?? 20, 1, 1000)).ConfigureAwait(false);
            var infos = await Task.WhenAll(ids.Select(id => grains.GetGrain<IExperimentGrain>(id).GetAsync().AsTask())).ConfigureAwait(false);
            return infos.OfType<Grains.Abstractions.Messages.ExperimentInfo>().Select(i => i.ToResponse()).ToArray();
        })
        .WithSummary("The most recent experiments, newest first (count: 1 to 1000, default 20)");

        api.MapGet("/experiments/{id}", async (string id, IGrainFactory grains) =>
            (await Experiment(grains, id).GetReportAsync().ConfigureAwait(false) ?? throw Unknown(id)).ToResponse())
        .WithSummary("An experiment: status, machines, marks, phases and its energy per machine and phase (while running: so far, up to results_until)")
        .WithDescription("Energy per phase follows GET /api/energy's rules: joules exact over the frames present, coverage relative to the phase, mean_watts over the time the frames cover, only gaps between frames interpolated. Phase \"\" is the whole experiment, \"(unmarked)\" the time before the first mark.")
        .Produces<ApiError>(StatusCodes.Status404NotFound);

        api.MapPost("/experiments/{id}/start", async (string id, StartExperimentRequest? request, IGrainFactory grains) =>
            (await (await ExistingAsync(grains, id).ConfigureAwait(false)).StartAsync(request?.At).ConfigureAwait(false)).ToResponse())
        .WithSummary("Leases the experiment's machines and starts it at 'at' (default now)")
        .Produces<ApiError>(StatusCodes.Status404NotFound)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapPost("/experiments/{id}/marks", async (string id, MarkRequest request, IGrainFactory grains) =>
        {
            var experiment = await ExistingAsync(grains, id).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                throw new ApiBadRequestException("a phase mark needs a name, e.g. {\"name\":\"warmup\"}");
            }

            return (await experiment.MarkAsync(request.Name, request.At).ConfigureAwait(false)).ToResponse();
        })
        .WithSummary("Starts phase 'name' at 'at' (default now); it lasts until the next mark or the end")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapPost("/experiments/{id}/stop", async (string id, StopExperimentRequest? request, IGrainFactory grains) =>
            (await (await ExistingAsync(grains, id).ConfigureAwait(false)).StopAsync(request?.At, request?.Failed ?? false).ConfigureAwait(false)).ToResponse())
        .WithSummary("Ends the experiment at 'at' (default now), computes its energy per machine and phase and releases its machines")
        .Produces<ApiError>(StatusCodes.Status404NotFound)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapPost("/experiments/{id}/cancel", async (string id, IGrainFactory grains) =>
            (await (await ExistingAsync(grains, id).ConfigureAwait(false)).CancelAsync().ConfigureAwait(false)).ToResponse())
        .WithSummary("Cancels the experiment (no energy is computed) and releases its machines")
        .Produces<ApiError>(StatusCodes.Status404NotFound)
        .Produces<ApiError>(StatusCodes.Status409Conflict);
    }

    private static IExperimentGrain Experiment(IGrainFactory grains, string id) =>
        grains.GetGrain<IExperimentGrain>(ApiParsing.Id(id, "experiment id"));

    /// <summary>
    /// The experiment, or 404: the grain refuses actions on an experiment never submitted, but
    /// as a conflict (409), and a wrong id is not a conflict. Experiments are never deleted, so
    /// the check cannot go stale before the action.
    /// </summary>
    private static async Task<IExperimentGrain> ExistingAsync(IGrainFactory grains, string id)
    {
        var experiment = Experiment(grains, id);
        return await experiment.GetAsync().ConfigureAwait(false) is null ? throw Unknown(id) : experiment;
    }

    private static ApiNotFoundException Unknown(string id) => new($"unknown experiment '{id}'");
}
