using System.Globalization;
using Fleet.Api.Contracts.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Gives the error answers ASP.NET Core writes without a body (415 from routing when the body is
/// not JSON, 405, 404 for a path that does not exist) the same JSON <see cref="ApiError"/> as
/// the rest of the API, so clients can always read <c>error</c>.
/// </summary>
internal static class ApiStatusCodePages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status415UnsupportedMediaType => "the body must be JSON (Content-Type: application/json)",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path} (see /openapi/v1.json)",
            StatusCodes.Status404NotFound => $"no such path: {context.HttpContext.Request.Path} (see /openapi/v1.json)",
            StatusCodes.Status413PayloadTooLarge => context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is long limit
                ? string.Create(CultureInfo.InvariantCulture, $"the request body is larger than {context.HttpContext.Request.Path} takes ({limit} bytes): send less per request")
                : "the request body is too large",
            _ => ReasonPhrases.GetReasonPhrase(status),
        };
        return Results.Json(new ApiError(message), statusCode: status).ExecuteAsync(context.HttpContext);
    }
}
