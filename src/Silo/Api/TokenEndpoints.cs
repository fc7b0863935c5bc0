using System.Security.Claims;
using System.Text.Json;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Json;
using Fleet.Api.Contracts.Tokens;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Silo.Security;
using Fleet.Storage.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Silo.Api;

/// <summary>API tokens (admin): created with a role, listed without their text, revoked at once.</summary>
internal static class TokenEndpoints
{
    public static void MapTokens(this RouteGroupBuilder api)
    {
        api.MapGet("/tokens", async (TokenStore tokens, CancellationToken cancellationToken) =>
            (await tokens.ListAsync(cancellationToken).ConfigureAwait(false)).Select(t => t.ToResponse()).ToArray())
        .WithSummary("Every API token (live and revoked), never their text");

        api.MapPost("/tokens", async Task<Created<CreatedTokenResponse>> (CreateTokenRequest request, TokenStore tokens, HttpContext context) =>
        {
            var name = ApiParsing.Id(request.Name, "token name");
            var role = request.Role is { } r && ApiRoles.Assignable.Contains(r)
                ? r
                : throw new ApiBadRequestException($"role must be one of {string.Join(", ", ApiRoles.Assignable)}");
            var token = ApiTokens.Create();
            var stored = await tokens.CreateAsync(name, role, ApiTokens.Hash(token), Actor(context), context.RequestAborted).ConfigureAwait(false)
                ?? throw new Grains.Abstractions.RequestRejectedException($"a live token is already named '{name}': revoke it first (fleet tokens revoke {name}) or choose another name");
            context.Features.Set(new AuditDetail(null, JsonSerializer.Serialize(stored.ToResponse(), FleetJsonContext.Default.TokenResponse)));
            return TypedResults.Created($"/api/tokens/{name}", new CreatedTokenResponse(stored.Name, stored.Role, token, stored.CreatedAt));
        })
        .WithSummary("Creates a token with a role (viewer, experimenter, admin); its text is in this answer only")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status409Conflict);

        api.MapPost("/tokens/{name}/revoke", async (string name, TokenStore tokens, HttpContext context) =>
        {
            var revoked = await tokens.RevokeAsync(ApiParsing.Id(name, "token name"), context.RequestAborted).ConfigureAwait(false)
                ?? throw new ApiNotFoundException($"no live token named '{name}'");
            var response = revoked.ToResponse();
            context.Features.Set(new AuditDetail(JsonSerializer.Serialize(response with { RevokedAt = null }, FleetJsonContext.Default.TokenResponse), JsonSerializer.Serialize(response, FleetJsonContext.Default.TokenResponse)));
            return response;
        })
        .WithSummary("Revokes the live token of that name: refused from the next request on, on every silo")
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>The caller as the audit log and "created by" name it: the token's name.</summary>
    public static string Actor(HttpContext context) => context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";
}
