using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace Fleet.Cli.Api;

/// <summary>
/// The silo's HTTP API as the CLI uses it: every failure becomes one line a user can act on.
/// Requests that are safe to repeat (reads, and imports, which the silo stores exactly once)
/// may retry failures a retry can fix: no connection, a timeout, a 5xx.
/// </summary>
internal sealed class FleetApiClient : IDisposable
{
    /// <summary>Up to three more attempts, 0.5 s, 1 s and 2 s apart.</summary>
    private static readonly ResiliencePipeline<Attempt> Retry = new ResiliencePipelineBuilder<Attempt>()
        .AddRetry(new RetryStrategyOptions<Attempt>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Result: null, Transient: true }),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    private static readonly JsonSerializerOptions BodyOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient _http;
    private readonly ApiSettings _settings;

    public FleetApiClient(ApiSettings settings)
    {
        _settings = settings;
        _http = new HttpClient { BaseAddress = settings.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (settings.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(path, token => _http.GetAsync(new Uri(path, UriKind.Relative), token), retry: true, cancellationToken);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(path, token => _http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body, BodyOptions, token), retry: false, cancellationToken);

    /// <param name="retry">Only for requests the silo treats idempotently (imports): a create is not.</param>
    public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken, bool retry = false) =>
        SendAsync(path, token => _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, BodyOptions, token), retry, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(string path, Func<CancellationToken, Task<HttpResponseMessage>> send, bool retry, CancellationToken cancellationToken)
    {
        var attempt = retry
            ? await Retry.ExecuteAsync(async token => await SendOnceAsync(path, send, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : await SendOnceAsync(path, send, cancellationToken).ConfigureAwait(false);
        return attempt.Result ?? throw new CliException(attempt.Message!);
    }

    private async Task<Attempt> SendOnceAsync(string path, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error) when (error.InnerException is SocketException || error.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return Attempt.Failed(true, $"cannot reach the Fleet silo at {_settings.BaseAddress} ({error.Message}); is it running? (--url, FLEET_URL or ~/.config/fleet/config.json)");
        }
        catch (HttpRequestException error)
        {
            return Attempt.Failed(true, $"the request to the Fleet silo at {_settings.BaseAddress} failed ({error.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Failed(true, $"the Fleet silo at {_settings.BaseAddress} did not answer in time");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return new Attempt(text.Length == 0 ? default(JsonElement) : JsonDocument.Parse(text).RootElement.Clone(), false, null);
            }

            var error = TryReadError(text);
            var message = error ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => Attempt.Failed(false, $"{message} (pass --token, set FLEET_TOKEN or put \"token\" in ~/.config/fleet/config.json)"),
                HttpStatusCode.NotFound when error is null => Attempt.Failed(false, $"the silo at {_settings.BaseAddress} has no endpoint {path.Split('?')[0]}: is it an older version?"),
                // The silo runs a few imports at a time and says so: wait and try again.
                HttpStatusCode.TooManyRequests => Attempt.Failed(true, message),
                >= HttpStatusCode.InternalServerError => Attempt.Failed(true, message),
                _ => Attempt.Failed(false, message),
            };
        }
    }

    private static string? TryReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private readonly record struct Attempt(JsonElement? Result, bool Transient, string? Message)
    {
        public static Attempt Failed(bool transient, string message) => new(null, transient, message);
    }
}
