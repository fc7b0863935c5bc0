using Fleet.Api.Contracts.Errors;

namespace Fleet.Silo.Security;

/// <summary>
/// Writes to the API take JSON bodies only (or no body): a form or text POST is what a page on
/// another site can make a browser send without asking (no CORS preflight), so it is refused
/// with 415 before any endpoint sees it, whether the endpoint reads a body or not.
/// </summary>
internal sealed class JsonOnlyWrites
{
    private readonly RequestDelegate _next;

    public JsonOnlyWrites(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var write = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;
        if (write && hasBody && request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !IsJson(request.ContentType))
        {
            var message = $"{request.Method} {request.Path} takes a JSON body (Content-Type: application/json) or none, not '{request.ContentType ?? "no content type"}'";
            return Results.Json(new ApiError(message), statusCode: StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(context);
        }

        return _next(context);
    }

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
