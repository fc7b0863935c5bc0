using System.Data.Common;
using System.Text.Json;
using Fleet.Api.Contracts.Errors;
using Fleet.Grains.Abstractions;

namespace Fleet.Silo.Hosting;

/// <summary>Turns the refusals grains raise into 4xx/503 answers with one sentence, never a 500 with a stack trace.</summary>
internal sealed partial class ApiExceptionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<ApiExceptionMiddleware> _logger;

    public ApiExceptionMiddleware(RequestDelegate next, ILogger<ApiExceptionMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (RequestRejectedException error)
        {
            await Results.Json(new ApiError(error.Message), statusCode: StatusCodes.Status409Conflict).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (ApiBadRequestException error)
        {
            await Results.Json(new ApiError(error.Message), statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (ApiNotFoundException error)
        {
            await Results.Json(new ApiError(error.Message), statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (StorageUnavailableException error)
        {
            LogStorage(error.Message);
            await Results.Json(new ApiError(error.Message), statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (DbException error)
        {
            // Endpoints that read storage directly (energy, assignments, boxes) get Npgsql's
            // exceptions, not the grains' StorageUnavailableException: same answer, not a 500.
            LogStorage(error.Message);
            await Results.Json(new ApiError($"storage unavailable: {error.Message}"), statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException error)
        {
            // A body that does not read as the request: say why the JSON was refused (a time that
            // is not ISO 8601 is quoted by the contract's converter), not only that it was.
            var message = error.InnerException is JsonException json ? $"{error.Message} {json.Message}" : error.Message;
            await Results.Json(new ApiError(message), statusCode: error.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API request failed on storage: {Reason}")]
    private partial void LogStorage(string reason);
}
