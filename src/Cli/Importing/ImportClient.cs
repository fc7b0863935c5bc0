using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Fleet.Cli.Api;
using Polly;
using Polly.Retry;

namespace Fleet.Cli.Importing;

/// <summary>
/// Sends import batches to the silo, in order, retrying a batch a few times when the request
/// failed in a way a retry can fix (no connection, timeout, 5xx). Retrying is safe: frames are
/// stored exactly once per source and sequence, low-frequency rows are upserted. A 4xx is the
/// silo refusing the data itself, and stops the import at once with its message.
/// </summary>
internal sealed class ImportClient : IDisposable
{
    /// <summary>Up to three more attempts, 0.5 s, 1 s and 2 s apart, for failures a retry can fix.</summary>
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

    public ImportClient(ApiSettings settings)
    {
        _settings = settings;
        _http = new HttpClient { BaseAddress = settings.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (settings.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
    }

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        var attempt = await Retry.ExecuteAsync(async token => await TryPostAsync(path, body, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return attempt.Result ?? throw new CliException(attempt.Message!);
    }

    public void Dispose() => _http.Dispose();

    private async Task<Attempt> TryPostAsync(string path, object body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, BodyOptions, cancellationToken).ConfigureAwait(false);
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
                return new Attempt(JsonDocument.Parse(text).RootElement.Clone(), false, null);
            }

            var message = TryReadError(text) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => Attempt.Failed(false, $"{message} (pass --token, set FLEET_TOKEN or put \"token\" in ~/.config/fleet/config.json)"),
                HttpStatusCode.NotFound when text.Length == 0 || TryReadError(text) is null => Attempt.Failed(false, $"the silo at {_settings.BaseAddress} has no import endpoint ({path}): is it an older version?"),
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
