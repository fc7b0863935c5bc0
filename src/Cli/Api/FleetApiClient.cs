using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fleet.Api.Contracts.Agents;
using Fleet.Api.Contracts.Boxes;
using Fleet.Api.Contracts.Energy;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Importing;
using Fleet.Api.Contracts.Json;
using Fleet.Api.Contracts.Live;
using Fleet.Api.Contracts.Machines;
using Fleet.Api.Contracts.Runs;
using Fleet.Api.Contracts.Series;
using Fleet.Api.Contracts.Silos;
using Fleet.Api.Contracts.Tokens;
using Fleet.OmegaWatt.Time;
using Polly;
using Polly.Retry;

namespace Fleet.Cli.Api;

/// <summary>
/// The silo's HTTP API as the CLI uses it, one method per endpoint, typed by the contract
/// (Fleet.Api.Contracts) the silo's endpoints return. Every failure becomes one line a user can
/// act on. Requests that are safe to repeat (reads, and imports, which the silo stores exactly
/// once) retry failures a retry can fix: no connection, a timeout, a 5xx. Creating, starting,
/// marking, stopping and assigning are never repeated behind the user's back.
/// </summary>
internal sealed class FleetApiClient : IDisposable
{
    /// <summary>How long a request may wait for its answer (an export only for its headers: its body streams as long as it takes).</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Up to three more attempts, 0.5 s, 1 s and 2 s apart.</summary>
    private static readonly ResiliencePipeline<Attempt> Retry = new ResiliencePipelineBuilder<Attempt>()
        .AddRetry(new RetryStrategyOptions<Attempt>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Response: null, Transient: true }),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    private static readonly FleetJsonContext Json = FleetJsonContext.Default;
    private readonly HttpClient _http;
    private readonly ApiSettings _settings;

    public FleetApiClient(ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;

        // No overall timeout on the client, so an export can stream for hours; each request bounds
        // its own wait for an answer (AnswerTimeout), and connecting is bounded here.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = settings.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
    }

    public Uri BaseAddress => _settings.BaseAddress;

    /// <summary>Whether the silo answers <c>/healthz</c> with "ok" now: one try, no retry, for waiting on a silo that is starting.</summary>
    public async Task<bool> IsHealthyAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            using var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative), timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false) == "ok";
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public Task<SiloResponse[]> ListSilosAsync(CancellationToken cancellationToken) =>
        GetAsync("/api/silos", Json.SiloResponseArray, cancellationToken);

    public Task<BoxResponse[]> ListBoxesAsync(CancellationToken cancellationToken) =>
        GetAsync("/api/boxes", Json.BoxResponseArray, cancellationToken);

    /// <summary>Every box, or one <paramref name="box"/>, or the sockets <paramref name="machine"/> is on now, with means over the last <paramref name="meanSeconds"/>.</summary>
    public Task<LiveResponse> GetLiveAsync(string? box, string? machine, int meanSeconds, CancellationToken cancellationToken)
    {
        var query = new List<string> { string.Create(CultureInfo.InvariantCulture, $"seconds={meanSeconds}") };
        if (box is not null)
        {
            query.Add($"box={Uri.EscapeDataString(box)}");
        }

        if (machine is not null)
        {
            query.Add($"machine={Uri.EscapeDataString(machine)}");
        }

        return GetAsync($"/api/live?{string.Join('&', query)}", Json.LiveResponse, cancellationToken);
    }

    /// <summary>Every assignment, or only those valid at <paramref name="at"/>.</summary>
    public Task<AssignmentResponse[]> ListAssignmentsAsync(DateTimeOffset? at, CancellationToken cancellationToken) =>
        GetAsync(at is { } time ? $"/api/machines?at={Uri.EscapeDataString(IsoTime.Format(time))}" : "/api/machines", Json.AssignmentResponseArray, cancellationToken);

    public Task<AssignmentResponse[]> AssignSocketsAsync(string machine, AssignSocketsRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/api/machines/{Uri.EscapeDataString(machine)}/sockets", request, Json.AssignSocketsRequest, Json.AssignmentResponseArray, retry: false, cancellationToken);

    /// <summary>The sockets that measured <paramref name="machine"/> in [from, to), each with its part of the window, as the silo resolves them.</summary>
    public Task<SocketWindowResponse[]> GetMachineSocketsAsync(string machine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        GetAsync($"/api/machines/{Uri.EscapeDataString(machine)}/sockets?{Window(from, to)}", Json.SocketWindowResponseArray, cancellationToken);

    public Task<ExperimentResponse[]> ListExperimentsAsync(int count, CancellationToken cancellationToken) =>
        GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/experiments?count={count}"), Json.ExperimentResponseArray, cancellationToken);

    public Task<ExperimentResponse> GetExperimentAsync(string id, CancellationToken cancellationToken) =>
        GetAsync(ExperimentPath(id), Json.ExperimentResponse, cancellationToken);

    public Task<ExperimentResponse> CreateExperimentAsync(CreateExperimentRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/experiments", request, Json.CreateExperimentRequest, Json.ExperimentResponse, retry: false, cancellationToken);

    public Task<ExperimentResponse> StartExperimentAsync(string id, StartExperimentRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ExperimentPath(id) + "/start", request, Json.StartExperimentRequest, Json.ExperimentResponse, retry: false, cancellationToken);

    public Task<ExperimentResponse> MarkExperimentAsync(string id, MarkRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ExperimentPath(id) + "/marks", request, Json.MarkRequest, Json.ExperimentResponse, retry: false, cancellationToken);

    public Task<ExperimentResponse> StopExperimentAsync(string id, StopExperimentRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ExperimentPath(id) + "/stop", request, Json.StopExperimentRequest, Json.ExperimentResponse, retry: false, cancellationToken);

    public Task<ExperimentResponse> CancelExperimentAsync(string id, CancellationToken cancellationToken)
    {
        var path = ExperimentPath(id) + "/cancel";
        return ReadJsonAsync(path, () => new HttpRequestMessage(HttpMethod.Post, path), Json.ExperimentResponse, retry: false, cancellationToken);
    }

    /// <summary>Not retried: a lost answer would leave a second experiment queued behind the first.</summary>
    public Task<ExperimentResponse> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/submissions", request, Json.SubmitRequest, Json.ExperimentResponse, retry: false, cancellationToken);

    public Task<QueueResponse> GetQueueAsync(CancellationToken cancellationToken) =>
        GetAsync("/api/queue", Json.QueueResponse, cancellationToken);

    /// <summary>Lines after <paramref name="after"/> (0 = from the first), of one machine or all.</summary>
    public Task<LogsResponse> GetLogsAsync(string id, long after, string? machine, CancellationToken cancellationToken) =>
        GetAsync(
            string.Create(CultureInfo.InvariantCulture, $"{ExperimentPath(id)}/logs?after={after}{(machine is null ? string.Empty : $"&machine={Uri.EscapeDataString(machine)}")}"),
            Json.LogsResponse,
            cancellationToken);

    public Task<RunnerResponse[]> ListRunnersAsync(CancellationToken cancellationToken) =>
        GetAsync("/api/runners", Json.RunnerResponseArray, cancellationToken);

    /// <summary>Not retried: each try drives the load pattern again (about 30 s) on the machine.</summary>
    public Task<IdentifyResponse> IdentifyAsync(string machine, IdentifyRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/api/machines/{Uri.EscapeDataString(machine)}/identify", request, Json.IdentifyRequest, Json.IdentifyResponse, retry: false, cancellationToken);

    public Task<EnergyResponse> GetEnergyAsync(PowerTarget target, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return GetAsync($"/api/energy?{target.Query}&{Window(from, to)}", Json.EnergyResponse, cancellationToken);
    }

    /// <param name="step">Seconds per point, <c>0.01</c> for raw frames, <c>finest</c> for the finest the silo serves over the window, or null for its default.</param>
    public Task<SeriesResponse> GetSeriesAsync(PowerTarget target, DateTimeOffset from, DateTimeOffset to, string? step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return GetAsync($"/api/series?{target.Query}&{Window(from, to)}{(step is null ? string.Empty : $"&step={Uri.EscapeDataString(step)}")}", Json.SeriesResponse, cancellationToken);
    }

    /// <summary>
    /// A box's frames in [from, to) as the vendor's CSV, streamed: the caller reads the body as
    /// it arrives and disposes the stream. A refusal (unknown box, bad window) is thrown before
    /// any byte, so no output file need be created for it.
    /// </summary>
    public async Task<Stream> ExportAsync(string box, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var path = $"/api/export?box={Uri.EscapeDataString(box)}&{Window(from, to)}";
        var response = await SendAsync(path, () => new HttpRequestMessage(HttpMethod.Get, path), retry: true, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Retried: the meter stores a batch once per source and sequence, so a repeat after a lost answer stores nothing twice.</summary>
    public Task<FramesImportResponse> ImportFramesAsync(string box, FramesImportRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/api/boxes/{Uri.EscapeDataString(box)}/frames", request, Json.FramesImportRequest, Json.FramesImportResponse, retry: true, cancellationToken);

    /// <summary>Retried: low-frequency rows are upserted, so a repeat changes nothing.</summary>
    public Task<LowFrequencyImportResponse> ImportLowFrequencyAsync(string box, LowFrequencyImportRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/api/boxes/{Uri.EscapeDataString(box)}/low-frequency", request, Json.LowFrequencyImportRequest, Json.LowFrequencyImportResponse, retry: true, cancellationToken);

    public Task<TokenResponse[]> ListTokensAsync(CancellationToken cancellationToken) =>
        GetAsync("/api/tokens", Json.TokenResponseArray, cancellationToken);

    /// <summary>Not retried: a lost answer would leave a token nobody saw; the user runs it again with another name.</summary>
    public Task<CreatedTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/tokens", request, Json.CreateTokenRequest, Json.CreatedTokenResponse, retry: false, cancellationToken);

    public Task<TokenResponse> RevokeTokenAsync(string name, CancellationToken cancellationToken)
    {
        var path = $"/api/tokens/{Uri.EscapeDataString(name)}/revoke";
        return ReadJsonAsync(path, () => new HttpRequestMessage(HttpMethod.Post, path), Json.TokenResponse, retry: false, cancellationToken);
    }

    public Task<EnrolmentResponse[]> ListEnrolmentsAsync(string? host, CancellationToken cancellationToken) =>
        GetAsync(host is null ? "/api/agents" : $"/api/agents?host={Uri.EscapeDataString(host)}", Json.EnrolmentResponseArray, cancellationToken);

    /// <summary>Allowing (or denying) the same boxes twice changes nothing, so it is retried like a read.</summary>
    public Task<EnrolmentResponse[]> ChangeEnrolmentAsync(string host, bool allow, EnrolmentRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/api/agents/{Uri.EscapeDataString(host)}/{(allow ? "allow" : "deny")}", request, Json.EnrolmentRequest, Json.EnrolmentResponseArray, retry: true, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static string ExperimentPath(string id) => $"/api/experiments/{Uri.EscapeDataString(id)}";

    private static string Window(DateTimeOffset from, DateTimeOffset to) =>
        $"from={Uri.EscapeDataString(IsoTime.Format(from))}&to={Uri.EscapeDataString(IsoTime.Format(to))}";

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        ReadJsonAsync(path, () => new HttpRequestMessage(HttpMethod.Get, path), answer, retry: true, cancellationToken);

    private Task<TAnswer> SendAsync<TBody, TAnswer>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TAnswer> answer, bool retry, CancellationToken cancellationToken) =>
        ReadJsonAsync(path, () => new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, bodyType) }, answer, retry, cancellationToken);

    private async Task<T> ReadJsonAsync<T>(string path, Func<HttpRequestMessage> request, JsonTypeInfo<T> answer, bool retry, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(path, request, retry, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the Fleet silo at {_settings.BaseAddress} did not answer in time");
        }
        catch (HttpRequestException error)
        {
            throw new CliException($"the answer of the Fleet silo at {_settings.BaseAddress} broke off ({error.Message})");
        }

        try
        {
            return JsonSerializer.Deserialize(text, answer) ?? throw new JsonException("an empty answer");
        }
        catch (JsonException error)
        {
            throw new CliException($"the silo at {_settings.BaseAddress} answered {path.Split('?')[0]} with something this fleet does not read ({error.Message}): is one of them an older version?");
        }
    }

    /// <summary>Sends until a success (retrying transient failures when asked) and returns the response with its headers read; the caller disposes it.</summary>
    private async Task<HttpResponseMessage> SendAsync(string path, Func<HttpRequestMessage> request, bool retry, CancellationToken cancellationToken)
    {
        var attempt = retry
            ? await Retry.ExecuteAsync(async token => await SendOnceAsync(path, request, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : await SendOnceAsync(path, request, cancellationToken).ConfigureAwait(false);
        return attempt.Response ?? throw new CliException(attempt.Message!);
    }

    private async Task<Attempt> SendOnceAsync(string path, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        HttpResponseMessage response;
        try
        {
            using var message = request();
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException error) when (error.InnerException is SocketException || error.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return Attempt.Failed(true, $"cannot reach the Fleet silo at {_settings.BaseAddress} ({error.Message}); is it running? (--url, FLEET_URL or ~/.config/fleet/config.json)");
        }
        catch (HttpRequestException error)
        {
            return Attempt.Failed(true, $"the request to the Fleet silo at {_settings.BaseAddress} failed ({error.Message})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Failed(true, $"the Fleet silo at {_settings.BaseAddress} did not answer in time");
        }

        if (response.IsSuccessStatusCode)
        {
            return new Attempt(response, false, null);
        }

        using (response)
        {
            string? error;
            try
            {
                error = ReadError(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
            }
            catch (Exception failure) when (failure is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = null;
            }

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

    /// <summary>The API's one-sentence error, or null for a body that is not one (a proxy's page, say).</summary>
    private static string? ReadError(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, Json.ApiError)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private readonly record struct Attempt(HttpResponseMessage? Response, bool Transient, string? Message)
    {
        public static Attempt Failed(bool transient, string message) => new(null, transient, message);
    }
}
