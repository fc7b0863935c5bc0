using System.Text.Json;
using Fleet.Api.Contracts.Agents;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Json;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Silo.Security;
using Fleet.Storage.Enrolment;
using Fleet.Storage.Runs;

namespace Fleet.Silo.Api;

/// <summary>
/// Enrolment (admin): which USB host, by the name in its lab certificate, may write which boxes
/// (its agent), and which host may run experiments as which machine (its runner).
/// </summary>
internal static class AgentEndpoints
{
    public static void MapAgents(this RouteGroupBuilder api)
    {
        api.MapGet("/agents", async (string? host, EnrolmentStore enrolments, RunnerEnrolmentStore runners, CancellationToken cancellationToken) =>
            await ListAsync(host is null ? null : ApiParsing.Id(host, "host"), enrolments, runners, cancellationToken).ConfigureAwait(false))
        .WithSummary("Every enrolment (or one host's): host, box (its agent) or machine (its runner), since when, by whom");

        api.MapPost("/agents/{host}/allow", (string host, EnrolmentRequest request, EnrolmentStore enrolments, RunnerEnrolmentStore runners, HttpContext context) =>
            ChangeAsync(host, request, enrolments, runners, context, allow: true))
        .WithSummary("Lets the host's agent write these boxes and its runner run experiments as these machines (its other enrolments stay)")
        .Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapPost("/agents/{host}/deny", (string host, EnrolmentRequest? request, EnrolmentStore enrolments, RunnerEnrolmentStore runners, HttpContext context) =>
            ChangeAsync(host, request, enrolments, runners, context, allow: false))
        .WithSummary("Withdraws these boxes and machines from the host (neither: all of them); its next batches or runner calls for them are refused")
        .Produces<ApiError>(StatusCodes.Status400BadRequest);
    }

    private static async Task<EnrolmentResponse[]> ChangeAsync(string host, EnrolmentRequest? request, EnrolmentStore enrolments, RunnerEnrolmentStore runners, HttpContext context, bool allow)
    {
        var name = ApiParsing.Id(host, "host");
        var boxes = (request?.Boxes ?? []).Select(b => ApiParsing.Id(b, "box id")).Distinct(StringComparer.Ordinal).ToList();
        var machines = (request?.Machines ?? []).Select(m => ApiParsing.Id(m, "machine name")).Distinct(StringComparer.Ordinal).ToList();
        if (allow && boxes.Count == 0 && machines.Count == 0)
        {
            throw new ApiBadRequestException("name at least one box or machine to allow, e.g. {\"boxes\":[\"omegawatt-a\"]} or {\"machines\":[\"srv-1\"]}");
        }

        var before = await ListAsync(name, enrolments, runners, context.RequestAborted).ConfigureAwait(false);
        var actor = TokenEndpoints.Actor(context);
        if (allow)
        {
            if (boxes.Count > 0)
            {
                await enrolments.AllowAsync(name, boxes, actor, context.RequestAborted).ConfigureAwait(false);
            }

            if (machines.Count > 0)
            {
                await runners.AllowAsync(name, machines, actor, context.RequestAborted).ConfigureAwait(false);
            }
        }
        else
        {
            // Naming only machines withdraws only those: an empty list means "all" to each store.
            var everything = boxes.Count == 0 && machines.Count == 0;
            if (everything || boxes.Count > 0)
            {
                await enrolments.DenyAsync(name, boxes, context.RequestAborted).ConfigureAwait(false);
            }

            if (everything || machines.Count > 0)
            {
                await runners.DenyAsync(name, machines, context.RequestAborted).ConfigureAwait(false);
            }
        }

        var after = await ListAsync(name, enrolments, runners, context.RequestAborted).ConfigureAwait(false);
        context.Features.Set(new AuditDetail(
            JsonSerializer.Serialize(before, FleetJsonContext.Default.EnrolmentResponseArray),
            JsonSerializer.Serialize(after, FleetJsonContext.Default.EnrolmentResponseArray)));
        return after;
    }

    /// <summary>Boxes then machines, each by host.</summary>
    private static async Task<EnrolmentResponse[]> ListAsync(string? host, EnrolmentStore enrolments, RunnerEnrolmentStore runners, CancellationToken cancellationToken)
    {
        var boxes = await enrolments.ListAsync(host, cancellationToken).ConfigureAwait(false);
        var machines = await runners.ListAsync(host, cancellationToken).ConfigureAwait(false);
        return [.. boxes.Select(e => e.ToResponse()), .. machines.Select(e => e.ToRunnerResponse())];
    }
}
