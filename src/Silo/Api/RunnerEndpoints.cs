using System.Security.Claims;
using System.Text.Json;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Json;
using Fleet.Api.Contracts.Runs;
using Fleet.Grains.Abstractions;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Runs;
using Fleet.Silo.Security;
using Fleet.Storage.Assignments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Silo.Api;

/// <summary>The machines' runners: which are alive, and finding a machine's sockets by driving a load on it.</summary>
internal static class RunnerEndpoints
{
    public static void MapRunners(this RouteGroupBuilder api)
    {
        api.MapGet("/runners", async (IGrainFactory grains, AssignmentStore assignments, TimeProvider time, CancellationToken cancellationToken) =>
        {
            // A machine is one with a socket now; a runner for a machine on no socket measures nothing.
            var machines = (await assignments.ListAsync(null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                .Select(a => a.Machine).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var presences = await Task.WhenAll(machines.Select(m => grains.GetGrain<IRunnerGrain>(m).GetPresenceAsync().AsTask())).ConfigureAwait(false);
            return presences.Select(p => p.ToResponse()).ToArray();
        })
        .WithSummary("Every machine on a socket now, with its runner: host, last heartbeat, alive, clock offset, component meters, jobs");

        api.MapPost("/machines/{machine}/identify", async Task<Results<Ok<IdentifyResponse>, JsonHttpResult<ApiError>>> (string machine, IdentifyRequest? request, IGrainFactory grains, SocketIdentificationService identification, HttpContext context) =>
        {
            var name = ApiParsing.Id(machine, "machine name");
            var box = request?.Box is { } text ? ApiParsing.Id(text, "box id") : null;
            var apply = request?.Apply ?? false;

            // Identifying only reads the meters (experimenter); applying changes the machine's
            // sockets, which is an admin's, as PUT /api/machines/{name}/sockets.
            if (apply && !context.User.IsInRole(ApiRoles.Admin))
            {
                var role = context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
                return TypedResults.Json(new ApiError($"token '{context.User.Identity?.Name ?? "unknown"}' has role {role}; identify with apply assigns sockets and needs role admin (identify without apply, then ask an admin)"), FleetJsonContext.Default.ApiError, statusCode: StatusCodes.Status403Forbidden);
            }

            var before = apply ? (await grains.GetGrain<IMachineGrain>(name).GetAssignmentsAsync().ConfigureAwait(false)).Select(a => a.ToResponse()).ToArray() : null;
            var outcome = await identification.IdentifyAsync(name, box, request?.Seed, apply, context.RequestAborted).ConfigureAwait(false);
            if (outcome.Applied)
            {
                // The audit log keeps the machine's history before and after, as for an assignment.
                var after = (await grains.GetGrain<IMachineGrain>(name).GetAssignmentsAsync().ConfigureAwait(false)).Select(a => a.ToResponse()).ToArray();
                context.Features.Set(new AuditDetail(
                    JsonSerializer.Serialize(before ?? [], FleetJsonContext.Default.AssignmentResponseArray),
                    JsonSerializer.Serialize(after, FleetJsonContext.Default.AssignmentResponseArray)));
            }

            return TypedResults.Ok(outcome.ToResponse());
        })
        .WithSummary("Finds the machine's socket(s) from power alone: its runner drives an on/off load (about 30 s) and the socket that follows it is proposed; 'apply' (admin) assigns it from now")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status403Forbidden);
    }
}
