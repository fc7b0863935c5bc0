using Fleet.Api.Contracts.Errors;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Energy;

namespace Fleet.Silo.Api;

internal static class EnergyEndpoints
{
    public static void MapEnergy(this RouteGroupBuilder api)
    {
        // GET /api/energy?machine=M&from=…&to=…  or  ?box=B&socket=S&from=…&to=…
        api.MapGet("/energy", async (string? machine, string? box, int? socket, string? from, string? to, EnergyQueries energy, AssignmentStore assignments, BoxStore boxes, CancellationToken cancellationToken) =>
        {
            var (start, end) = ApiParsing.Window(from, to, ApiParsing.MaxRollupWindow);
            if (machine is not null == box is not null)
            {
                throw new ApiBadRequestException("give either machine=NAME or box=BOX&socket=N");
            }

            if (machine is not null)
            {
                var name = ApiParsing.Id(machine, "machine name");
                if ((await assignments.ListAsync(name, null, cancellationToken).ConfigureAwait(false)).Count == 0)
                {
                    throw new ApiNotFoundException($"unknown machine '{name}': assign it to a socket first");
                }

                return (await energy.GetMachineEnergyAsync(name, start, end, cancellationToken).ConfigureAwait(false)).ToResponse();
            }

            var boxId = ApiParsing.Id(box, "box id");
            var plugs = await boxes.GetPlugsAsync(boxId, cancellationToken).ConfigureAwait(false) ?? throw new ApiNotFoundException($"unknown box '{boxId}' (no frame received from it yet)");
            if (socket is not int number || number < 1 || number > plugs)
            {
                throw new ApiBadRequestException($"socket must be 1 to {plugs} for box {boxId}");
            }

            return (await energy.GetSocketEnergyAsync(boxId, number, start, end, cancellationToken).ConfigureAwait(false)).ToResponse();
        })
        .WithSummary("Energy of a machine (all its sockets, following its assignment history) or a socket over [from, to)")
        .WithDescription("Give machine=NAME or box=BOX&socket=N, and from/to (ISO 8601 UTC, between 1970 and 2200); windows of at most 366 days. "
            + "joules is exact over the frames present; coverage is frames present over frames expected in the whole window; covered_from/covered_to/covered_seconds "
            + "say what time the frames cover; mean_watts is over that covered time; interpolated_joules fills only gaps with frames on both sides, never before the first "
            + "frame or after the last. sockets has the same per socket (a silent power supply shows there with no frames).")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }
}
