using Fleet.Api.Contracts.Errors;
using Fleet.Silo.Hosting;
using Fleet.Silo.Live;

namespace Fleet.Silo.Api;

internal static class LiveEndpoints
{
    private const int DefaultMeanSeconds = 10;

    public static void MapLive(this RouteGroupBuilder api)
    {
        // GET /api/live[?box=B | ?machine=M][&seconds=10]: what `fleet watch` draws.
        api.MapGet("/live", async (string? box, string? machine, int? seconds, LiveView live, CancellationToken cancellationToken) =>
        {
            if (box is not null && machine is not null)
            {
                throw new ApiBadRequestException("give box=BOX or machine=NAME, not both");
            }

            return await live.ReadAsync(box, machine, BoxEndpoints.LiveSeconds(seconds, DefaultMeanSeconds), cancellationToken).ConfigureAwait(false);
        })
        .WithSummary("What is measured now: boxes, their sockets' power, and machines' power summed over their sockets")
        .WithDescription(
            "Every box, or one (box=BOX), or only the sockets a machine is on now (machine=NAME). Per socket: power_watts from the newest valid frame, "
            + "mean_watts over the last 'seconds' (1 to 600, default 10) weighted by each second's frames, both from the meter's memory (no database read). "
            + "Per machine on those sockets: the sum over all the sockets it is on now (both supplies, on any box), null when one of them has no value. "
            + "404: unknown box or machine; 409: the machine is on no socket now.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound)
        .Produces<ApiError>(StatusCodes.Status409Conflict);
    }
}
