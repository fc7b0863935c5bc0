using System.Globalization;
using Fleet.Grains.Abstractions;
using Fleet.Silo.Hosting;

namespace Fleet.Silo.Api;

internal static class ExperimentEndpoints
{
    public static void MapExperiments(this RouteGroupBuilder api)
    {
        api.MapPost("/experiments", async (CreateExperimentRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var id = request.Id is null
                ? string.Create(CultureInfo.InvariantCulture, $"exp-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}")
                : ApiParsing.Id(request.Id, "experiment id");
            var machines = (request.Machines ?? []).Select(m => ApiParsing.Id(m, "machine name")).ToList();
            var info = await grains.GetGrain<IExperimentGrain>(id).SubmitAsync(request.Name ?? id, machines).ConfigureAwait(false);
            return Results.Created($"/api/experiments/{id}", info);
        });

        api.MapGet("/experiments/{id}", async (string id, IGrainFactory grains) =>
            Results.Ok(await Experiment(grains, id).GetAsync().ConfigureAwait(false) ?? throw new ApiNotFoundException($"unknown experiment '{id}'")));

        api.MapPost("/experiments/{id}/start", async (string id, AtRequest? request, IGrainFactory grains) =>
            Results.Ok(await Experiment(grains, id).StartAsync(ApiParsing.OptionalTime(request?.At, "at")).ConfigureAwait(false)));

        api.MapPost("/experiments/{id}/marks", async (string id, MarkRequest request, IGrainFactory grains) =>
            Results.Ok(await Experiment(grains, id).MarkAsync(request.Name ?? string.Empty, ApiParsing.OptionalTime(request.At, "at")).ConfigureAwait(false)));

        api.MapPost("/experiments/{id}/stop", async (string id, AtRequest? request, IGrainFactory grains) =>
            Results.Ok(await Experiment(grains, id).StopAsync(ApiParsing.OptionalTime(request?.At, "at"), request?.Failed ?? false).ConfigureAwait(false)));

        api.MapPost("/experiments/{id}/cancel", async (string id, IGrainFactory grains) =>
            Results.Ok(await Experiment(grains, id).CancelAsync().ConfigureAwait(false)));
    }

    private static IExperimentGrain Experiment(IGrainFactory grains, string id) =>
        grains.GetGrain<IExperimentGrain>(ApiParsing.Id(id, "experiment id"));
}
