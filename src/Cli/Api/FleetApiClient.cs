using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Fleet.Cli.Api;

/// <summary>The silo's HTTP API as the CLI uses it: every failure becomes one line a user can act on.</summary>
internal sealed class FleetApiClient : IDisposable
{
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
        SendAsync(() => _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken), cancellationToken);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(() => _http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken), cancellationToken);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(() => _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send().ConfigureAwait(false);
        }
        catch (HttpRequestException error) when (error.InnerException is SocketException || error.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CliException($"cannot reach the Fleet silo at {_settings.BaseAddress} ({error.Message}); is it running? (--url, FLEET_URL or ~/.config/fleet/config.json)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the Fleet silo at {_settings.BaseAddress} did not answer in time");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }

            var message = TryReadError(text) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CliException($"{message} (pass --token, set FLEET_TOKEN or put \"token\" in ~/.config/fleet/config.json)"),
                _ => new CliException(message),
            };
        }
    }

    private static string? TryReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
