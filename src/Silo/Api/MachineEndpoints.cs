using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Machines;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Energy;

namespace Fleet.Silo.Api;

internal static class MachineEndpoints
{
    public static void MapMachines(this RouteGroupBuilder api)
    {
        api.MapGet("/machines", async (string? at, AssignmentStore assignments, CancellationToken cancellationToken) =>
        {
            var rows = await assignments.ListAsync(null, ApiParsing.OptionalTime(at, "at"), cancellationToken).ConfigureAwait(false);
            return rows.Select(r => r.ToResponse()).ToArray();
        })
        .WithSummary("Socket assignments of every machine: the whole history, or those valid at 'at'")
        .Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapGet("/machines/{name}", async (string name, IGrainFactory grains) =>
        {
            var history = await grains.GetGrain<IMachineGrain>(ApiParsing.Id(name, "machine name")).GetAssignmentsAsync().ConfigureAwait(false);
            return history.Count == 0
                ? throw new ApiNotFoundException($"unknown machine '{name}'")
                : history.Select(a => a.ToResponse()).ToArray();
        })
        .WithSummary("A machine's socket history, oldest first")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);

        api.MapPut("/machines/{name}/sockets", async (string name, AssignSocketsRequest request, IGrainFactory grains, BoxStore boxes, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var machine = ApiParsing.Id(name, "machine name");
            var sockets = ApiParsing.Sockets(request.Sockets);
            if (!request.Force)
            {
                await RequireExistingAsync(sockets, boxes, cancellationToken).ConfigureAwait(false);
            }

            var grain = grains.GetGrain<IMachineGrain>(machine);
            await grain.AssignAsync(sockets, request.From ?? time.GetUtcNow()).ConfigureAwait(false);
            var history = await grain.GetAssignmentsAsync().ConfigureAwait(false);
            return history.Select(a => a.ToResponse()).ToArray();
        })
        .WithSummary("From 'from' (default now) the machine is on exactly these sockets; its earlier assignments end there")
        .WithDescription("Each socket must exist: its box has sent frames and has that many sockets (400 otherwise); 'force': true assigns anyway, for a box not plugged in yet.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapGet("/machines/{name}/sockets", async (string name, string? from, string? to, AssignmentStore assignments, EnergyQueries energy, CancellationToken cancellationToken) =>
        {
            var machine = ApiParsing.Id(name, "machine name");
            var (start, end) = ApiParsing.Window(from, to, ApiParsing.MaxRollupWindow);
            if ((await assignments.ListAsync(machine, null, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                throw new ApiNotFoundException($"unknown machine '{machine}': assign it to a socket first");
            }

            var sockets = await energy.GetMachineSocketsAsync(machine, start, end, cancellationToken).ConfigureAwait(false);
            return sockets.Select(s => new SocketWindowResponse(s.BoxId, s.Socket, s.From, s.To)).ToArray();
        })
        .WithSummary("The sockets that measured a machine in [from, to), each with the part of the window it was on it, in time order")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>Refuses sockets that cannot exist: a box never seen, or a socket past the box's plug count.</summary>
    private static async Task RequireExistingAsync(IEnumerable<SocketRef> sockets, BoxStore boxes, CancellationToken cancellationToken)
    {
        foreach (var socket in sockets)
        {
            var plugs = await boxes.GetPlugsAsync(socket.BoxId, cancellationToken).ConfigureAwait(false);
            if (plugs is null)
            {
                throw new ApiBadRequestException($"box '{socket.BoxId}' has sent no frame yet, so socket {socket} cannot be checked: start its agent first, check the box id, or assign anyway with force (fleet machines add --force)");
            }

            if (socket.Socket > plugs)
            {
                throw new ApiBadRequestException($"box {socket.BoxId} has {plugs} sockets: there is no socket {socket.Socket} (assign anyway with force: fleet machines add --force)");
            }
        }
    }
}
