using System.Globalization;
using System.Threading.RateLimiting;
using Fleet.Api.Contracts.Errors;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;

namespace Fleet.Silo.Hosting;

/// <summary>
/// What one request may cost the silo: body sizes, and how many imports run at once. Six
/// concurrent 30 MB import bodies once took a silo to 2.3 GB; now a body over its limit is a
/// 413 and an import over the concurrency limit a 429, each naming the limit.
/// </summary>
internal static class RequestLimits
{
    /// <summary>Any request body not given its own limit: requests are small JSON documents.</summary>
    public const long DefaultBodyBytes = 1024 * 1024;

    /// <summary>A batch of imported frames: 10 000 frames of a 48-plug box fit with room to spare.</summary>
    public const long FramesImportBodyBytes = 16 * 1024 * 1024;

    /// <summary>A request of low-frequency rows (at most 50 000).</summary>
    public const long LowFrequencyImportBodyBytes = 8 * 1024 * 1024;

    /// <summary>The rate-limiting policy of import endpoints.</summary>
    public const string ImportPolicy = "imports";

    /// <summary>Import requests processed at once; more wait in line.</summary>
    public const int ConcurrentImports = 2;

    /// <summary>Import requests waiting for a turn; more are refused with 429.</summary>
    public const int QueuedImports = 4;

    public static IServiceCollection AddFleetRequestLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.AddConcurrencyLimiter(ImportPolicy, limiter =>
        {
            limiter.PermitLimit = ConcurrentImports;
            limiter.QueueLimit = QueuedImports;
            limiter.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
        });
        options.OnRejected = (context, cancellationToken) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "2";
            var message = string.Create(CultureInfo.InvariantCulture, $"the silo is busy: it runs at most {ConcurrentImports} imports at a time with {QueuedImports} waiting; retry in a few seconds");
            return new ValueTask(Results.Json(new ApiError(message), statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext));
        };
    });

    /// <summary>Gives an endpoint its own body limit (honoured by routing before the body is read).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimit(bytes));

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
