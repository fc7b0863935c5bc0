using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Silo.Tests.Support;
using Fleet.Storage.Runs;

namespace Fleet.Silo.Tests.Api;

/// <summary>
/// POST /api/submissions' validation, GET /api/experiments/{id}/logs over lines stored the way
/// runner reports are, and runner enrolment through /api/agents, on a silo of its own.
/// </summary>
public sealed class SubmissionEndpointsTests : IClassFixture<SiloFixture>
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly SiloFixture _silo;
    private readonly HttpClient _http;

    public SubmissionEndpointsTests(SiloFixture silo)
    {
        _silo = silo;
        _http = silo.Http;
    }

    [Theory]
    [InlineData("""{"machines":[],"command":["true"]}""", "at least one machine")]
    [InlineData("""{"command":["true"]}""", "at least one machine")]
    [InlineData("""{"machines":["bad name!"],"command":["true"]}""", "'bad name!'")]
    [InlineData("""{"id":"bad id","machines":["srv-s"],"command":["true"]}""", "'bad id'")]
    [InlineData("""{"machines":["srv-s"]}""", "needs a command")]
    [InlineData("""{"machines":["srv-s"],"command":[]}""", "needs a command")]
    [InlineData("""{"machines":["srv-s"],"command":["  "]}""", "needs a command")]
    [InlineData("""{"machines":["srv-s"],"command":["echo",null]}""", "argument is null")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"idle_baseline_seconds":3601}""", "idle_baseline_seconds = 3601: give 0 (none) to 3600 seconds")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"idle_baseline_seconds":-1}""", "idle_baseline_seconds = -1")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"cancel_grace_seconds":601}""", "cancel_grace_seconds = 601")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"environment":{"1BAD":"x"}}""", "environment variable '1BAD' is not a valid name")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"environment":{"A-B":"x"}}""", "environment variable 'A-B' is not a valid name")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"environment":{"MODE":null}}""", "environment variable MODE has no value")]
    [InlineData("""{"machines":["srv-s"],"command":["true"],"working_directory":" "}""", "working_directory is blank")]
    [InlineData("""{"machines":["srv-s"],"command":"true"}""", "JSON")]
    [InlineData("""{"machines":["ghost"],"command":["true"]}""", "unknown machine 'ghost': assign it to a socket first")]
    public async Task Submit_InvalidRequest_BadRequestSayingWhat(string body, string contains)
    {
        await AssignAsync("srv-s", "box-s:1");

        using var response = await _http.PostAsync(new Uri("/api/submissions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, contains);
    }

    [Fact]
    public async Task Submit_MachineWithoutRunner_BadRequestSayingHowToStartOne()
    {
        await AssignAsync("srv-norunner", "box-s:2");

        using var response = await _http.PostAsJsonAsync("/api/submissions", new { id = "exp-norunner", machines = new[] { "srv-norunner" }, command = new[] { "true" } });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "no runner for machine srv-norunner: start `Fleet.AgentHost --runner --machine srv-norunner` on it");
        using var get = await _http.GetAsync(new Uri("/api/experiments/exp-norunner", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Logs_UnknownExperiment_NotFound()
    {
        using var response = await _http.GetAsync(new Uri("/api/experiments/no-such-exp/logs", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.NotFound, "unknown experiment 'no-such-exp'");
    }

    [Fact]
    public async Task Logs_Stored_PagedByCursorFilteredByMachineAndDoneOnlyOnceEnded()
    {
        await AssignAsync("srv-l1", "box-s:3");
        await AssignAsync("srv-l2", "box-s:4");
        using (var created = await _http.PostAsJsonAsync("/api/experiments", new { id = "exp-logs", machines = new[] { "srv-l1", "srv-l2" } }))
        {
            await SiloApi.ReadJsonAsync(created, HttpStatusCode.Created);
        }

        await _http.PostJsonAsync("/api/experiments/exp-logs/start", new { });
        var logs = new RunLogStore(_silo.DataSource);
        await logs.AppendAsync("exp-logs", "srv-l1", [(1, T, "stdout", "epoch 1"), (2, T.AddSeconds(1), "stdout", "epoch 2")]);
        await logs.AppendAsync("exp-logs", "srv-l2", [(1, T.AddSeconds(0.5), "stderr", "warning: slow disk")]);
        // A report resent after a lost answer: stored once.
        await logs.AppendAsync("exp-logs", "srv-l1", [(2, T.AddSeconds(1), "stdout", "epoch 2"), (3, T.AddSeconds(2), "stdout", "done")]);

        var first = await _http.GetJsonAsync("/api/experiments/exp-logs/logs?limit=2");
        var rest = await _http.GetJsonAsync($"/api/experiments/exp-logs/logs?after={first.GetProperty("next_after").GetInt64()}");
        var after = await _http.GetJsonAsync($"/api/experiments/exp-logs/logs?after={rest.GetProperty("next_after").GetInt64()}");
        var machine = await _http.GetJsonAsync("/api/experiments/exp-logs/logs?machine=srv-l2");

        Assert.Equal(["epoch 1", "epoch 2"], Texts(first));
        Assert.False(first.GetProperty("done").GetBoolean());
        Assert.Equal(["warning: slow disk", "done"], Texts(rest));
        var line = rest.GetProperty("lines")[0];
        Assert.Equal(("srv-l2", 1, "stderr"), (line.Text("machine"), line.Count("sequence"), line.Text("source")));
        Assert.Equal(T.AddSeconds(0.5), line.GetProperty("at").GetDateTimeOffset());
        Assert.Empty(Texts(after));
        Assert.Equal(rest.GetProperty("next_after").GetInt64(), after.GetProperty("next_after").GetInt64());
        Assert.Equal(["warning: slow disk"], Texts(machine));

        await _http.PostJsonAsync("/api/experiments/exp-logs/cancel", new { });
        Assert.True((await _http.GetJsonAsync("/api/experiments/exp-logs/logs")).GetProperty("done").GetBoolean());
    }

    [Theory]
    [InlineData("after=-1", "'after' = -1")]
    [InlineData("machine=bad%20name", "'bad name'")]
    public async Task Logs_BadQuery_BadRequest(string query, string contains)
    {
        using var response = await _http.GetAsync(new Uri($"/api/experiments/exp-any/logs?{query}", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, contains);
    }

    [Fact]
    public async Task Agents_RunnerMachines_AllowedListedAndDeniedApartFromBoxes()
    {
        await _http.PostJsonAsync("/api/agents/lab-host/allow", new { boxes = new[] { "box-s" } });
        var allowed = await _http.PostJsonAsync("/api/agents/lab-host/allow", new { machines = new[] { "srv-r1", "srv-r2" } });
        var denied = await _http.PostJsonAsync("/api/agents/lab-host/deny", new { machines = new[] { "srv-r1" } });
        var listed = await _http.GetJsonAsync("/api/agents?host=lab-host");
        var none = await _http.PostJsonAsync("/api/agents/lab-host/deny", new { });

        Assert.Equal(["box box-s", "machine srv-r1", "machine srv-r2"], Enrolments(allowed));
        Assert.Equal(["box box-s", "machine srv-r2"], Enrolments(denied));
        Assert.Equal(Enrolments(denied), Enrolments(listed));
        Assert.Empty(Enrolments(none));
        using var empty = await _http.PostAsJsonAsync("/api/agents/lab-host/allow", new { boxes = Array.Empty<string>() });
        await SiloApi.AssertErrorAsync(empty, HttpStatusCode.BadRequest, "at least one box or machine");
    }

    private static List<string?> Texts(JsonElement logs) => [.. logs.GetProperty("lines").EnumerateArray().Select(l => l.Text("text"))];

    private static List<string> Enrolments(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => r.GetProperty("machine").ValueKind == JsonValueKind.String ? $"machine {r.Text("machine")}" : $"box {r.Text("box")}")];

    private async Task AssignAsync(string machine, string socket)
    {
        using var response = await _http.PutAsJsonAsync($"/api/machines/{machine}/sockets", new { sockets = new[] { socket }, force = true });
        response.EnsureSuccessStatusCode();
    }
}
