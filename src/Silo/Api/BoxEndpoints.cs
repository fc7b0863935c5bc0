using Fleet.Api.Contracts.Boxes;
using Fleet.Api.Contracts.Errors;
using Fleet.Grains.Abstractions;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Storage.Boxes;

namespace Fleet.Silo.Api;

internal static class BoxEndpoints
{
    /// <summary>The meter grain's live window: ten minutes of seconds.</summary>
    public const int MaxLiveSeconds = 600;

    private const int DefaultLiveSeconds = 60;

    public static void MapBoxes(this RouteGroupBuilder api)
    {
        api.MapGet("/boxes", async (BoxStore boxes, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var list = await boxes.ListAsync(cancellationToken).ConfigureAwait(false);
            var health = await Task.WhenAll(list.Select(b => grains.GetGrain<IMeterGrain>(b.BoxId).GetHealthAsync().AsTask())).ConfigureAwait(false);
            return health.Select(h => h.ToResponse()).ToArray();
        })
        .WithSummary("Every box that has sent a frame, with its meter's health");

        api.MapGet("/boxes/{box}", async (string box, BoxStore boxes, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var id = await KnownBoxAsync(box, boxes, cancellationToken).ConfigureAwait(false);
            return (await grains.GetGrain<IMeterGrain>(id).GetHealthAsync().ConfigureAwait(false)).ToResponse();
        })
        .WithSummary("A box's health: frames/s, missing frames, last frame, its agent, the last power per socket")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);

        // GET /api/boxes/{box}/live?seconds=60: from the meter grain's memory (no database read).
        api.MapGet("/boxes/{box}/live", async (string box, int? seconds, BoxStore boxes, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var id = ApiParsing.Id(box, "box id");
            var count = LiveSeconds(seconds, DefaultLiveSeconds);
            await KnownBoxAsync(id, boxes, cancellationToken).ConfigureAwait(false);
            var recent = await grains.GetGrain<IMeterGrain>(id).GetRecentAsync(count).ConfigureAwait(false);
            return recent.Select(s => s.ToResponse()).ToArray();
        })
        .WithSummary("The last seconds of a box from memory: per second, frames received and mean power per socket, oldest first")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>Seconds of the live window to read: 1 to <see cref="MaxLiveSeconds"/>.</summary>
    public static int LiveSeconds(int? seconds, int defaultSeconds)
    {
        var count = seconds ?? defaultSeconds;
        return count is < 1 or > MaxLiveSeconds
            ? throw new ApiBadRequestException($"seconds must be 1 to {MaxLiveSeconds} (the meter keeps the last 10 minutes in memory)")
            : count;
    }

    /// <summary>The box's id, or 400 for a malformed one and 404 for a box that never sent a frame.</summary>
    public static async Task<string> KnownBoxAsync(string? box, BoxStore boxes, CancellationToken cancellationToken)
    {
        var id = ApiParsing.Id(box, "box id");
        return await boxes.GetPlugsAsync(id, cancellationToken).ConfigureAwait(false) is null
            ? throw new ApiNotFoundException($"unknown box '{id}' (no frame received from it yet)")
            : id;
    }
}
