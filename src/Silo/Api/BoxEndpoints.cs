using Fleet.Grains.Abstractions;
using Fleet.Silo.Hosting;
using Fleet.Storage.Boxes;

namespace Fleet.Silo.Api;

internal static class BoxEndpoints
{
    public static void MapBoxes(this RouteGroupBuilder api)
    {
        api.MapGet("/boxes", async (BoxStore boxes, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var list = await boxes.ListAsync(cancellationToken).ConfigureAwait(false);
            var health = await Task.WhenAll(list.Select(b => grains.GetGrain<IMeterGrain>(b.BoxId).GetHealthAsync().AsTask())).ConfigureAwait(false);
            return Results.Ok(health);
        });

        api.MapGet("/boxes/{box}", async (string box, BoxStore boxes, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var id = ApiParsing.Id(box, "box id");
            if (await boxes.GetPlugsAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new ApiNotFoundException($"unknown box '{id}' (no frame received from it yet)");
            }

            return Results.Ok(await grains.GetGrain<IMeterGrain>(id).GetHealthAsync().ConfigureAwait(false));
        });
    }
}
