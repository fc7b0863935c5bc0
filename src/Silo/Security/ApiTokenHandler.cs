using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Fleet.Api.Contracts.Errors;
using Fleet.OmegaWatt.Time;
using Fleet.Silo.Hosting;
using Fleet.Storage.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fleet.Silo.Security;

/// <summary>
/// Who is calling: <c>Authorization: Bearer TOKEN</c>, where TOKEN is the bootstrap admin token
/// (<c>Fleet__ApiToken</c>), Prometheus' metrics token, or one of the tokens in PostgreSQL (read
/// on every request, so a revocation holds at once). In development mode (no bootstrap token) a
/// loopback client without a token is the local admin; anyone else without one is refused.
/// 401 and 403 answers are the API's one-sentence JSON errors.
/// </summary>
internal sealed class ApiTokenHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "FleetToken";

    private const string FailureKey = "fleet.failure";
    private readonly FleetSiloOptions _silo;
    private readonly TokenStore _tokens;
    private readonly byte[]? _bootstrap;
    private readonly byte[]? _metrics;

    public ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<FleetSiloOptions> silo, TokenStore tokens)
        : base(options, logger, encoder)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _silo = silo.Value;
        _tokens = tokens;
        _bootstrap = string.IsNullOrEmpty(_silo.ApiToken) ? null : ApiTokens.Hash(_silo.ApiToken);
        _metrics = string.IsNullOrEmpty(_silo.MetricsToken) ? null : ApiTokens.Hash(_silo.MetricsToken);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            // A page on another site can point a name of its own at 127.0.0.1 (DNS rebinding); it
            // cannot make the browser send a loopback Host header, so only those are the local admin.
            return _silo.IsDevelopment && IsLoopback && IsLoopbackHost ? Success("local", ApiRoles.Admin) : AuthenticateResult.NoResult();
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || header.Length == bearer.Length)
        {
            return Fail("missing or wrong API token: send Authorization: Bearer TOKEN");
        }

        var hash = ApiTokens.Hash(header[bearer.Length..].Trim());
        if (_bootstrap is not null && CryptographicOperations.FixedTimeEquals(hash, _bootstrap))
        {
            return Success("bootstrap", ApiRoles.Admin);
        }

        if (_metrics is not null && CryptographicOperations.FixedTimeEquals(hash, _metrics))
        {
            return Success("metrics", ApiRoles.Metrics);
        }

        var stored = await _tokens.FindAsync(hash, Context.RequestAborted).ConfigureAwait(false);
        return stored switch
        {
            null => Fail("missing or wrong API token: this silo does not know it"),
            { RevokedAt: { } revoked } => Fail($"API token '{stored.Name}' was revoked at {IsoTime.Format(revoked)}: ask an admin for a new one"),
            _ => Success(stored.Name, stored.Role),
        };
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_silo.IsDevelopment && !(IsLoopback && IsLoopbackHost) && Request.Headers.Authorization.Count == 0)
        {
            return Write(StatusCodes.Status403Forbidden, "this silo has no API token (development mode): it serves loopback clients that name it 127.0.0.1, [::1] or localhost; set Fleet__ApiToken to serve others");
        }

        var reason = Context.Items[FailureKey] as string ?? "missing or wrong API token (Authorization: Bearer …)";
        return Write(StatusCodes.Status401Unauthorized, reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        var name = Context.User.Identity?.Name ?? "unknown";
        var needed = Context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()?.Policy ?? "another";
        return Write(StatusCodes.Status403Forbidden, $"token '{name}' has role {role}; {Request.Method} {Request.Path} needs role {needed}");
    }

    private bool IsLoopback => Context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);

    private bool IsLoopbackHost => Request.Host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Request.Host.Host, out var address) && IPAddress.IsLoopback(address));

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private Task Write(int status, string message) => Results.Json(new ApiError(message), statusCode: status).ExecuteAsync(Context);
}
