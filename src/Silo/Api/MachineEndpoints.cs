using Fleet.Grains.Abstractions;
using Fleet.Storage.Assignments;

namespace Fleet.Silo.Api;

internal static class MachineEndpoints
{
    public static void MapMachines(this RouteGroupBuilder api)
    {
        api.MapGet("/machines", async (string? at, AssignmentStore assignments, CancellationToken cancellationToken) =>
        {
            var rows = await assignments.ListAsync(null, ApiParsing.OptionalTime(at, "at"), cancellationToken).ConfigureAwait(false);
            return Results.Ok(rows.Select(r => new AssignmentResponse(r.Machine, r.BoxId, r.Socket, r.ValidFrom, r.ValidTo)));
        });

        api.MapGet("/machines/{name}", async (string name, IGrainFactory grains) =>
        {
            var history = await grains.GetGrain<IMachineGrain>(ApiParsing.Id(name, "machine name")).GetAssignmentsAsync().ConfigureAwait(false);
            return history.Count == 0
                ? Results.NotFound(new Hosting.ApiError($"unknown machine '{name}'"))
                : Results.Ok(history.Select(a => new AssignmentResponse(a.Machine, a.Socket.BoxId, a.Socket.Socket, a.ValidFrom, a.ValidTo)));
        });

        api.MapPut("/machines/{name}/sockets", async (string name, AssignRequest request, IGrainFactory grains, TimeProvider time) =>
        {
            var machine = ApiParsing.Id(name, "machine name");
            var sockets = ApiParsing.Sockets(request.Sockets);
            var from = ApiParsing.OptionalTime(request.From, "from") ?? time.GetUtcNow();
            var grain = grains.GetGrain<IMachineGrain>(machine);
            await grain.AssignAsync(sockets, from).ConfigureAwait(false);
            var history = await grain.GetAssignmentsAsync().ConfigureAwait(false);
            return Results.Ok(history.Select(a => new AssignmentResponse(a.Machine, a.Socket.BoxId, a.Socket.Socket, a.ValidFrom, a.ValidTo)));
        });
    }
}
