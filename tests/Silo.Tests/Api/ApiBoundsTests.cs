using System.Net;
using System.Net.Http.Json;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>
/// Every bound the API keeps, against a real silo: each is a 4xx with the limit in its message,
/// never a 500 and never an unbounded read or body.
/// </summary>
public sealed class ApiBoundsTests : IClassFixture<CaptureSiloFixture>
{
    private const string Box = CaptureSiloFixture.Box;
    private readonly CaptureSiloFixture _silo;

    public ApiBoundsTests(CaptureSiloFixture silo) => _silo = silo;

    [Theory]
    [InlineData("/api/boxes/victim-box%0A")]
    [InlineData("/api/boxes/victim-box%0A/live")]
    [InlineData("/api/energy?box=victim-box%0A&socket=1&from=2026-11-25T08:00:00Z&to=2026-11-25T08:01:00Z")]
    public async Task Get_IdWithATrailingNewline_BadRequest(string path)
    {
        using var response = await _silo.Http.GetAsync(new Uri(path, UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "is not a valid");
    }

    [Fact]
    public async Task PostFrames_BoxIdWithATrailingNewline_BadRequestAndNothingStored()
    {
        using var response = await _silo.Http.PostAsJsonAsync("/api/boxes/victim-box%0A/frames", Frames("src-newline", 1, 10));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "is not a valid box id");
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("energy?box=box-lab&socket=1&", "0001-01-01T00:00:00Z", "2026-11-25T08:00:00Z", "'from' = '0001-01-01T00:00:00Z' is outside the times Fleet serves (1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z)")]
    [InlineData("energy?box=box-lab&socket=1&", "2026-11-25T08:00:00Z", "9999-12-31T23:59:59Z", "'to' = '9999-12-31T23:59:59Z' is outside the times Fleet serves")]
    [InlineData("series?box=box-lab&socket=1&", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "is outside the times Fleet serves")]
    [InlineData("series?box=box-lab&socket=1&step=2147483647&", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "is outside the times Fleet serves")]
    [InlineData("export?box=box-lab&", "9999-12-31T00:00:00Z", "9999-12-31T23:59:59Z", "is outside the times Fleet serves")]
    [InlineData("machines?at=9999-12-31T23:59:59Z&", "2026-11-25T08:00:00Z", "2026-11-25T08:00:01Z", "is outside the times Fleet serves")]
    public async Task Window_TimeOutsideTheRange_BadRequestNot500(string query, string from, string to, string message)
    {
        using var response = await _silo.Http.GetAsync(new Uri($"/api/{query}from={from}&to={to}", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("energy?box=box-lab&socket=1&", "2025-01-01T00:00:00Z", "2026-11-25T08:00:00Z", "serves at most 366 days")]
    [InlineData("series?box=box-lab&socket=1&step=86400&", "2025-01-01T00:00:00Z", "2026-11-25T08:00:00Z", "serves at most 366 days")]
    [InlineData("export?box=box-lab&", "2026-11-24T08:00:00Z", "2026-11-25T08:00:01Z", "serves at most 1 days")]
    public async Task Window_LongerThanTheEndpointServes_BadRequestNamingTheLimit(string query, string from, string to, string message)
    {
        using var response = await _silo.Http.GetAsync(new Uri($"/api/{query}from={from}&to={to}", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Export_ExactlyOneDay_Served()
    {
        using var response = await _silo.Http.GetAsync(new Uri($"/api/export?box={Box}&from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z", UriKind.Relative));
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_silo.Expected.Rows.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task PostFrames_BodyOverTheImportLimit_PayloadTooLargeNamingTheLimit()
    {
        // 17 MiB of JSON: past the 16 MiB an import batch may be.
        using var response = await SendLargeAsync(HttpMethod.Post, "/api/boxes/box-big/frames", "{\"source_id\":\"" + new string('x', 17 * 1024 * 1024) + "\"}");

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "16777216");
    }

    [Fact]
    public async Task PostMachine_BodyOverTheDefaultLimit_PayloadTooLarge()
    {
        using var response = await SendLargeAsync(HttpMethod.Put, "/api/machines/m-big/sockets", "{\"sockets\":[\"" + new string('x', 2 * 1024 * 1024) + "\"]}");

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "1048576");
    }

    [Fact]
    public async Task PostFrames_MoreImportsThanTheSiloRunsAtOnce_TooManyRequestsNamingTheLimit()
    {
        // Six imports whose bodies never finish hold the two running slots and the four queued ones.
        var stalled = Enumerable.Range(0, 6).Select(_ => new StalledContent()).ToList();
        using var cancel = new CancellationTokenSource();
        var inFlight = stalled.Select(content => SendIgnoringFailureAsync(content, cancel.Token)).ToList();
        try
        {
            // The seventh is refused once the six have reached the limiter (a condition, with a
            // deadline). Until then it may be served, or queued behind them: an attempt that gets
            // no answer in a few seconds is abandoned, which takes it out of the queue.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    using var response = await _silo.Http.PostAsJsonAsync("/api/boxes/box-busy/frames", Frames("src-busy", 1, 10), attempt.Token);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await SiloApi.AssertErrorAsync(response, HttpStatusCode.TooManyRequests, "at most 2 imports at a time with 4 waiting");
                        Assert.Equal("2", response.Headers.RetryAfter?.ToString());
                        break;
                    }
                }
                catch (OperationCanceledException) when (attempt.IsCancellationRequested)
                {
                    // Queued behind the stalled imports: try again.
                }

                Assert.True(DateTime.UtcNow < deadline, "the seventh import was never refused with 429");
            }
        }
        finally
        {
            await cancel.CancelAsync();
            await Task.WhenAll(inFlight);
        }

        // Once they are gone, imports run again.
        using var after = await _silo.Http.PostAsJsonAsync("/api/boxes/box-busy/frames", Frames("src-busy", 1, 10));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>With Expect: 100-continue, so the silo can refuse a body before the client sends megabytes into a socket it closed.</summary>
    private Task<HttpResponseMessage> SendLargeAsync(HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        return _silo.Http.SendAsync(request);
    }

    private async Task SendIgnoringFailureAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _silo.Http.PostAsync(new Uri("/api/boxes/box-busy/frames", UriKind.Relative), content, cancellationToken);
        }
        catch (Exception error) when (error is OperationCanceledException or HttpRequestException)
        {
            // Cancelled by the test once the refusal was seen.
        }
    }

    private static object Frames(string source, long sequence, int count) => new
    {
        source_id = source,
        sequence,
        plugs = 6,
        times_unix_microseconds = Enumerable.Range(0, count).Select(k => 1_764_057_600_000_000L + (k * 10_000L)).ToArray(),
        valid = Enumerable.Repeat(true, count).ToArray(),
        voltages_volts = Enumerable.Repeat(230f, 3 * count).ToArray(),
        currents_amperes = Enumerable.Repeat(0.5f, 6 * count).ToArray(),
        powers_watts = Enumerable.Repeat(100f, 6 * count).ToArray(),
    };

    /// <summary>
    /// A JSON body that never ends until its request is cancelled: it trickles whitespace (valid
    /// between JSON tokens) at about 1 KB/s, above Kestrel's minimum body data rate, so the silo
    /// keeps waiting for it instead of timing it out.
    /// </summary>
    private sealed class StalledContent : HttpContent
    {
        public StalledContent() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("{\"source_id\":\"stalled\","u8.ToArray(), cancellationToken);
            var spaces = new byte[100];
            Array.Fill(spaces, (byte)' ');
            while (true)
            {
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(100, cancellationToken);
                await stream.WriteAsync(spaces, cancellationToken);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
