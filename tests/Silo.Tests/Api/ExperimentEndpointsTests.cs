using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>
/// /api/experiments on the clean 6-plug capture (box-lab, see <see cref="CaptureSiloFixture"/>).
/// Each test leases machines of its own (m1/m2, m3, m4, m5), so order does not matter.
/// </summary>
public sealed class ExperimentEndpointsTests : IClassFixture<CaptureSiloFixture>
{
    private static readonly DateTimeOffset Start = CaptureSiloFixture.Start;
    private readonly CaptureSiloFixture _silo;
    private readonly HttpClient _http;

    public ExperimentEndpointsTests(CaptureSiloFixture silo)
    {
        _silo = silo;
        _http = silo.Http;
    }

    [Fact]
    public async Task Stop_AfterStartAndTwoMarks_JoulesPerMachineAndPhaseEqualTheFrames()
    {
        using (var created = await _http.PostAsJsonAsync("/api/experiments", new { id = "exp-1", name = "run", machines = new[] { "m1", "m2" } }))
        {
            var info = await SiloApi.ReadJsonAsync(created, HttpStatusCode.Created);
            Assert.Equal("/api/experiments/exp-1", created.Headers.Location?.OriginalString);
            Assert.Equal("submitted", info.Text("status"));
        }

        var started = await _http.PostJsonAsync("/api/experiments/exp-1/start", new { at = At(2) });
        Assert.Equal("running", started.Text("status"));
        Assert.Equal(Start.AddSeconds(2), started.GetProperty("started_at").GetDateTimeOffset());
        await _http.PostJsonAsync("/api/experiments/exp-1/marks", new { name = "warmup", at = At(3) });
        await _http.PostJsonAsync("/api/experiments/exp-1/marks", new { name = "train", at = At(10.5) });

        var stopped = await _http.PostJsonAsync("/api/experiments/exp-1/stop", new { at = At(25) });

        Assert.Equal("finished", stopped.Text("status"));
        var results = stopped.GetProperty("results").EnumerateArray().ToList();
        // Two machines × (whole experiment, [2 s, 3 s) before the first mark, two phases): the phases add up to the whole.
        Assert.Equal(8, results.Count);
        AssertPhase(results, "m1", "", 2, 25, 1);
        AssertPhase(results, "m1", "(unmarked)", 2, 3, 1);
        AssertPhase(results, "m2", "(unmarked)", 2, 3, 2, 3);
        AssertPhase(results, "m1", "warmup", 3, 10.5, 1);
        AssertPhase(results, "m1", "train", 10.5, 25, 1);
        AssertPhase(results, "m2", "", 2, 25, 2, 3);
        AssertPhase(results, "m2", "warmup", 3, 10.5, 2, 3);
        AssertPhase(results, "m2", "train", 10.5, 25, 2, 3);

        // The stored experiment says the same, and the machines are free again.
        var stored = await _http.GetJsonAsync("/api/experiments/exp-1");
        Assert.Equal("finished", stored.Text("status"));
        Assert.Equal(Start.AddSeconds(25), stored.GetProperty("finished_at").GetDateTimeOffset());
        Assert.Equal(
            results.Select(r => (r.Text("machine"), r.Text("phase"), r.Number("joules"))),
            stored.GetProperty("results").EnumerateArray().Select(r => (r.Text("machine"), r.Text("phase"), r.Number("joules"))));
        await CreateAsync("exp-1-again", "m1", "m2");
        await _http.PostJsonAsync("/api/experiments/exp-1-again/start", new { at = At(26) });
        await _http.PostJsonAsync("/api/experiments/exp-1-again/cancel", new { });
    }

    [Fact]
    public async Task Phases_FromTheMarks_OpenWhileRunningAndClosedByTheStop()
    {
        await CreateAsync("exp-phases", "m5");
        await _http.PostJsonAsync("/api/experiments/exp-phases/start", new { at = At(1) });
        await _http.PostJsonAsync("/api/experiments/exp-phases/marks", new { name = "warmup", at = At(2) });
        await _http.PostJsonAsync("/api/experiments/exp-phases/marks", new { name = "skipped", at = At(4) });
        var running = await _http.PostJsonAsync("/api/experiments/exp-phases/marks", new { name = "train", at = At(4) });

        // A mark followed by one at the same instant has no phase; the last phase is open while the experiment runs.
        var open = running.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(["warmup", "train"], open.Select(p => p.Text("name")));
        Assert.Equal(Start.AddSeconds(2), open[0].GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Start.AddSeconds(4), open[0].GetProperty("to").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, open[1].GetProperty("to").ValueKind);
        Assert.Equal(3, running.GetProperty("marks").GetArrayLength());

        var stopped = await _http.PostJsonAsync("/api/experiments/exp-phases/stop", new { at = At(9) });

        var closed = stopped.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(Start.AddSeconds(9), closed[1].GetProperty("to").GetDateTimeOffset());

        // The energy is counted over exactly those windows.
        var results = stopped.GetProperty("results").EnumerateArray().Where(r => r.Text("phase") is not ("" or "(unmarked)")).ToList();
        Assert.Equal(closed.Select(p => (p.Text("name"), p.GetProperty("from").GetDateTimeOffset(), p.GetProperty("to").GetDateTimeOffset())),
            results.Select(r => (r.Text("phase"), r.GetProperty("from").GetDateTimeOffset(), r.GetProperty("to").GetDateTimeOffset())));
        Assert.Equal(2.0, results[0].Number("duration_seconds"));
    }

    [Fact]
    public async Task Get_Running_PhasesAndTheEnergySoFarUpToTheNewestStoredFrame()
    {
        await CreateAsync("exp-live", "m4");
        await _http.PostJsonAsync("/api/experiments/exp-live/start", new { at = At(1) });
        await _http.PostJsonAsync("/api/experiments/exp-live/marks", new { name = "load", at = At(3) });

        var running = await _http.GetJsonAsync("/api/experiments/exp-live");
        await _http.PostJsonAsync("/api/experiments/exp-live/cancel", new { });

        Assert.Equal("running", running.Text("status"));
        // The box's frames end at Start + 30 s: that is how far "so far" reaches.
        Assert.Equal(Start.AddSeconds(30), running.GetProperty("results_until").GetDateTimeOffset());
        var results = running.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["", "(unmarked)", "load"], results.Select(r => r.Text("phase")));
        AssertPhase(results, "m4", "", 1, 30, 5);
        AssertPhase(results, "m4", "load", 3, 30, 5);
        Assert.Equal(1.0, results[0].Number("coverage"));
    }

    [Fact]
    public async Task Start_MachineLeasedByRunningExperiment_ConflictNamingTheHolder()
    {
        await CreateAsync("exp-lease-a", "m3");
        await CreateAsync("exp-lease-b", "m3");
        await _http.PostJsonAsync("/api/experiments/exp-lease-a/start", new { at = At(1) });

        using (var refused = await _http.PostAsJsonAsync("/api/experiments/exp-lease-b/start", new { at = At(2) }))
        {
            var error = await SiloApi.AssertErrorAsync(refused, HttpStatusCode.Conflict, "exp-lease-a");
            Assert.Contains("m3", error, StringComparison.Ordinal);
        }

        Assert.Equal("submitted", (await _http.GetJsonAsync("/api/experiments/exp-lease-b")).Text("status"));
        await _http.PostJsonAsync("/api/experiments/exp-lease-a/stop", new { at = At(5) });
        var started = await _http.PostJsonAsync("/api/experiments/exp-lease-b/start", new { at = At(6) });
        Assert.Equal("running", started.Text("status"));
        await _http.PostJsonAsync("/api/experiments/exp-lease-b/cancel", new { });
    }

    [Fact]
    public async Task Start_FinishedExperiment_Conflict()
    {
        await CreateAsync("exp-done", "m4");
        await _http.PostJsonAsync("/api/experiments/exp-done/start", new { at = At(1) });
        await _http.PostJsonAsync("/api/experiments/exp-done/stop", new { at = At(2) });

        using var response = await _http.PostAsJsonAsync("/api/experiments/exp-done/start", new { at = At(3) });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Conflict, "finished");
    }

    [Fact]
    public async Task Start_WithoutBody_StartsNow()
    {
        await CreateAsync("exp-now", "m5");
        var before = DateTimeOffset.UtcNow;

        using var response = await _http.PostAsync(new Uri("/api/experiments/exp-now/start", UriKind.Relative), null);

        var info = await SiloApi.ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("running", info.Text("status"));
        Assert.InRange(info.GetProperty("started_at").GetDateTimeOffset(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        await _http.PostJsonAsync("/api/experiments/exp-now/cancel", new { });
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/start")]
    [InlineData("POST", "/marks")]
    [InlineData("POST", "/stop")]
    [InlineData("POST", "/cancel")]
    public async Task AnyAction_UnknownExperiment_NotFound(string method, string action)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"/api/experiments/no-such-exp{action}", UriKind.Relative));
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { name = "phase", at = At(1) });
        }

        using var response = await _http.SendAsync(request);

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.NotFound, "no-such-exp");
    }

    [Fact]
    public async Task Create_UnknownMachine_BadRequestNamingItAndNothingCreated()
    {
        using var response = await _http.PostAsJsonAsync("/api/experiments", new { id = "exp-ghost", name = "run", machines = new[] { "m1", "ghost" } });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "unknown machine 'ghost'");
        using var get = await _http.GetAsync(new Uri("/api/experiments/exp-ghost", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("""{"id":"exp-bad","name":"run","machines":[]}""", "at least one machine")]
    [InlineData("""{"id":"exp-bad","name":"run"}""", "at least one machine")]
    [InlineData("""{"id":"exp-bad","name":"  ","machines":["m1"]}""", "name")]
    [InlineData("""{"id":"bad id","name":"run","machines":["m1"]}""", "'bad id'")]
    [InlineData("""{"id":"exp-bad","name":"run","machines":["bad name!"]}""", "'bad name!'")]
    [InlineData("""{"id":"exp-bad","name":"run","machines":[null]}""", "machine name")]
    [InlineData("""{"id":"exp-bad","machines":"m1"}""", "JSON")]
    [InlineData("""not json""", "JSON")]
    public async Task Create_InvalidRequest_BadRequest(string body, string contains)
    {
        using var response = await _http.PostAsync(new Uri("/api/experiments", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, contains);
        using var get = await _http.GetAsync(new Uri("/api/experiments/exp-bad", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Create_ExistingId_Conflict()
    {
        await CreateAsync("exp-twice", "m1");

        using var response = await _http.PostAsJsonAsync("/api/experiments", new { id = "exp-twice", name = "again", machines = new[] { "m1" } });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Conflict, "already exists");
    }

    [Fact]
    public async Task Mark_WithoutName_BadRequest()
    {
        await CreateAsync("exp-unnamed-mark", "m4");

        using var response = await _http.PostAsJsonAsync("/api/experiments/exp-unnamed-mark/marks", new { at = At(1) });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "name");
    }

    private async Task CreateAsync(string id, params string[] machines)
    {
        using var response = await _http.PostAsJsonAsync("/api/experiments", new { id, name = id, machines });
        await SiloApi.ReadJsonAsync(response, HttpStatusCode.Created);
    }

    private void AssertPhase(List<JsonElement> results, string machine, string phase, double fromSeconds, double toSeconds, params int[] sockets)
    {
        var result = Assert.Single(results, r => r.Text("machine") == machine && r.Text("phase") == phase);
        var joules = _silo.ExpectedJoules(fromSeconds, toSeconds, sockets);
        var actual = result.Number("joules");
        Assert.True(Math.Abs(actual - joules) <= 1e-4 * joules, $"{machine} '{phase}': expected {joules} J (±0.01 %), got {actual} J");
        Assert.Equal(CaptureSiloFixture.FramesIn(fromSeconds, toSeconds) * sockets.Length, result.Count("frames"));
        Assert.Equal(1.0, result.Number("coverage"));
        Assert.Equal(Start.AddSeconds(fromSeconds), result.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Start.AddSeconds(toSeconds), result.GetProperty("to").GetDateTimeOffset());
    }

    private static string At(double seconds) => SiloApi.Time(Start.AddSeconds(seconds));
}
