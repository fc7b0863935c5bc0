using System.Text.Json;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Json;
using Fleet.Api.Contracts.Machines;
using Fleet.Grains.Abstractions;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Silo.Security;
using Fleet.Storage.Assignments;

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

        api.MapPut("/machines/{name}/sockets", async (string name, AssignSocketsRequest request, IGrainFactory grains, TimeProvider time, HttpContext context) =>
        {
            var machine = ApiParsing.Id(name, "machine name");
            var sockets = ApiParsing.Sockets(request.Sockets);
            var grain = grains.GetGrain<IMachineGrain>(machine);
            var before = (await grain.GetAssignmentsAsync().ConfigureAwait(false)).Select(a => a.ToResponse()).ToArray();
            await grain.AssignAsync(sockets, request.From ?? time.GetUtcNow()).ConfigureAwait(false);
            var history = (await grain.GetAssignmentsAsync().ConfigureAwait(false)).Select(a => a.ToResponse()).ToArray();
            // The audit log keeps the machine's history before and after the change.
            context.Features.Set(new AuditDetail(
                JsonSerializer.Serialize(before, FleetJsonContext.Default.AssignmentResponseArray),
                JsonSerializer.Serialize(history, FleetJsonContext.Default.AssignmentResponseArray)));
            return history;
        })
        .WithSummary("From 'from' (default now) the machine is on exactly these sockets; its earlier assignments end there")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status409Conflict);
    }
}
