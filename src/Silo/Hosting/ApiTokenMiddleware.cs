using System.Net;
using System.Security.Cryptography;
using System.Text;
using Fleet.Api.Contracts.Errors;
using Microsoft.Extensions.Options;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Guards /api: with a configured token every request must carry <c>Authorization: Bearer …</c>;
/// without one (development) only loopback clients are served, so a silo exposed on a network
/// never answers anonymous requests.
/// </summary>
internal sealed partial class ApiTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[]? _token;

    public ApiTokenMiddleware(RequestDelegate next, IOptions<FleetSiloOptions> options, ILogger<ApiTokenMiddleware> logger)
    {
        _next = next;
        _token = string.IsNullOrEmpty(options.Value.ApiToken) ? null : Encoding.UTF8.GetBytes(options.Value.ApiToken);
        if (_token is null)
        {
            LogLoopbackOnly(logger);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        // Routing matches paths case-insensitively, so must the guard: /API/machines is /api/machines.
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return _next(context);
        }

        if (_token is null)
        {
            return context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
                ? _next(context)
                : Results.Json(new ApiError("this silo has no API token: set Fleet__ApiToken to serve non-loopback clients"), statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        var presented = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()) : [];
        return CryptographicOperations.FixedTimeEquals(presented, _token)
            ? _next(context)
            : Results.Json(new ApiError("missing or wrong API token (Authorization: Bearer …)"), statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API token configured (Fleet__ApiToken): the HTTP API serves loopback clients only")]
    private static partial void LogLoopbackOnly(ILogger logger);
}
