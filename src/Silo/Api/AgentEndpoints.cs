using System.Text.Json;
using Fleet.Api.Contracts.Agents;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Json;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Silo.Security;
using Fleet.Storage.Enrolment;

namespace Fleet.Silo.Api;

/// <summary>Agent enrolment (admin): which USB host, by the name in its lab certificate, may write which boxes.</summary>
internal static class AgentEndpoints
{
    public static void MapAgents(this RouteGroupBuilder api)
    {
        api.MapGet("/agents", async (string? host, EnrolmentStore enrolments, CancellationToken cancellationToken) =>
            (await enrolments.ListAsync(host is null ? null : ApiParsing.Id(host, "host"), cancellationToken).ConfigureAwait(false)).Select(e => e.ToResponse()).ToArray())
        .WithSummary("Every enrolment (or one host's): host, box, since when, by whom");

        api.MapPost("/agents/{host}/allow", (string host, EnrolmentRequest request, EnrolmentStore enrolments, HttpContext context) =>
            ChangeAsync(host, request, enrolments, context, allow: true))
        .WithSummary("Lets the host's agent write these boxes (its other boxes stay)")
        .Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapPost("/agents/{host}/deny", (string host, EnrolmentRequest? request, EnrolmentStore enrolments, HttpContext context) =>
            ChangeAsync(host, request, enrolments, context, allow: false))
        .WithSummary("Withdraws these boxes from the host's agent (no boxes: all of them); its next batches are refused")
        .Produces<ApiError>(StatusCodes.Status400BadRequest);
    }

    private static async Task<EnrolmentResponse[]> ChangeAsync(string host, EnrolmentRequest? request, EnrolmentStore enrolments, HttpContext context, bool allow)
    {
        var name = ApiParsing.Id(host, "host");
        var boxes = (request?.Boxes ?? []).Select(b => ApiParsing.Id(b, "box id")).Distinct(StringComparer.Ordinal).ToList();
        if (allow && boxes.Count == 0)
        {
            throw new ApiBadRequestException("name at least one box to allow, e.g. {\"boxes\":[\"omegawatt-a\"]}");
        }

        var before = await enrolments.ListAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (allow)
        {
            await enrolments.AllowAsync(name, boxes, TokenEndpoints.Actor(context), context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await enrolments.DenyAsync(name, boxes, context.RequestAborted).ConfigureAwait(false);
        }

        var after = (await enrolments.ListAsync(name, context.RequestAborted).ConfigureAwait(false)).Select(e => e.ToResponse()).ToArray();
        context.Features.Set(new AuditDetail(
            JsonSerializer.Serialize(before.Select(e => e.ToResponse()).ToArray(), FleetJsonContext.Default.EnrolmentResponseArray),
            JsonSerializer.Serialize(after, FleetJsonContext.Default.EnrolmentResponseArray)));
        return after;
    }
}
