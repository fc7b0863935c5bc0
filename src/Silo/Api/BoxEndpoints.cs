using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Silo.Hosting;
using Fleet.Storage.Boxes;

namespace Fleet.Silo.Api;

internal static class BoxEndpoints
{
    private const int DefaultLiveSeconds = 60;

    /// <summary>The meter grain's live window: ten minutes of seconds.</summary>
    private const int MaxLiveSeconds = 600;

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

        // GET /api/boxes/{box}/live?seconds=60: what `fleet watch` averages, from the meter grain's memory (no database read).
        api.MapGet("/boxes/{box}/live", async (string box, int? seconds, BoxStore boxes, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var id = ApiParsing.Id(box, "box id");
            var count = seconds ?? DefaultLiveSeconds;
            if (count is < 1 or > MaxLiveSeconds)
            {
                throw new ApiBadRequestException($"seconds must be 1 to {MaxLiveSeconds} (the meter keeps the last 10 minutes in memory)");
            }

            if (await boxes.GetPlugsAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new ApiNotFoundException($"unknown box '{id}' (no frame received from it yet)");
            }

            var recent = await grains.GetGrain<IMeterGrain>(id).GetRecentAsync(count).ConfigureAwait(false);
            return Results.Ok(recent.Select(LiveSecondResponse.From));
        })
        .WithSummary("The last seconds of a box from memory: per second, frames received and mean power per socket, oldest first")
        .Produces<IReadOnlyList<LiveSecondResponse>>()
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }
}

/// <summary>
/// One second of a box as <c>/api/boxes/{box}/live</c> serves it: a socket with no valid frame in
/// that second has a null mean (the grain's NaN, which JSON cannot carry).
/// </summary>
public sealed record LiveSecondResponse(DateTimeOffset Second, int Frames, IReadOnlyList<double?> MeanPowerWatts)
{
    public static LiveSecondResponse From(LiveSecond second)
    {
        ArgumentNullException.ThrowIfNull(second);
        return new(second.Second, second.Frames, [.. second.MeanPowerWatts.Select(w => float.IsFinite(w) ? (double?)w : null)]);
    }
}
