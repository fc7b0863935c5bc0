using System.Net;
using System.Text.Json;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Machines;
using Fleet.Cli;
using Fleet.Cli.Api;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Api;

/// <summary>The typed client against a fake silo: what it sends, what it reads, when it retries, and its one-line errors.</summary>
public sealed class FleetApiClientTests : IDisposable
{
    private const string Experiment = """
        {"id":"exp-1","name":"run","status":"running","machines":["srv-1"],"marks":[{"name":"warmup","at":"2026-11-25T10:00:01+00:00"}],
         "phases":[{"name":"warmup","from":"2026-11-25T10:00:01+00:00","to":null}],"started_at":"2026-11-25T10:00:00+00:00","finished_at":null,"results":[]}
        """;

    private readonly FakeSilo _silo = new();

    public void Dispose() => _silo.Dispose();

    [Fact]
    public async Task GetExperimentAsync_ContractJson_ReadAsTheContractRecord()
    {
        _silo.Answer(HttpStatusCode.OK, Experiment);
        using var client = Client();

        var experiment = await client.GetExperimentAsync("exp 1", CancellationToken.None);

        Assert.Equal("exp-1", experiment.Id);
        Assert.Equal(ExperimentStatus.Running, experiment.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 1, TimeSpan.Zero), Assert.Single(experiment.Phases).From);
        Assert.Null(experiment.Phases[0].To);
        Assert.Equal(("GET", "/api/experiments/exp%201"), Single());
    }

    [Fact]
    public async Task AssignSocketsAsync_Body_SnakeCaseWithUtcTime()
    {
        _silo.Answer(HttpStatusCode.OK, """[{"machine":"srv-1","box":"box-a","socket":2,"valid_from":"2026-11-25T09:00:00+00:00","valid_to":null}]""");
        using var client = Client();

        var history = await client.AssignSocketsAsync("srv-1", new AssignSocketsRequest(["box-a:2"], new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(1))), CancellationToken.None);

        Assert.Equal(2, Assert.Single(history).Socket);
        var request = Assert.Single(_silo.Requests);
        Assert.Equal("PUT", request.Method);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("box-a:2", body.RootElement.GetProperty("sockets")[0].GetString());
        Assert.Equal("2026-11-25T09:00:00+00:00", body.RootElement.GetProperty("from").GetString());
    }

    [Fact]
    public async Task Read_ServerErrorTwiceThenOk_RetriedAndAnswered()
    {
        _silo.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"storage unavailable"}""")
            .Answer(HttpStatusCode.BadGateway, "<html>proxy</html>")
            .Answer(HttpStatusCode.OK, Experiment);
        using var client = Client();

        var experiment = await client.GetExperimentAsync("exp-1", CancellationToken.None);

        Assert.Equal("exp-1", experiment.Id);
        Assert.Equal(3, _silo.Requests.Count);
    }

    [Fact]
    public async Task Create_ServerError_NotRepeatedAndSaysWhy()
    {
        _silo.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"storage unavailable: connection refused"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<CliException>(() => client.CreateExperimentAsync(new CreateExperimentRequest(null, "run", ["srv-1"]), CancellationToken.None));

        Assert.Equal("storage unavailable: connection refused", error.Message);
        Assert.Single(_silo.Requests);
    }

    [Fact]
    public async Task Refusal_Unauthorized_SaysHowToGiveTheToken()
    {
        _silo.Answer(HttpStatusCode.Unauthorized, """{"error":"missing or wrong API token (Authorization: Bearer …)"}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<CliException>(() => client.ListBoxesAsync(CancellationToken.None));

        Assert.StartsWith("missing or wrong API token", error.Message, StringComparison.Ordinal);
        Assert.Contains("--token", error.Message, StringComparison.Ordinal);
        Assert.Single(_silo.Requests);
    }

    [Fact]
    public async Task Refusal_NotFoundWithoutErrorBody_SaysTheSiloLacksTheEndpoint()
    {
        _silo.Answer(HttpStatusCode.NotFound, string.Empty);
        using var client = Client();

        var error = await Assert.ThrowsAsync<CliException>(() => client.GetLiveAsync(null, "srv-1", 10, CancellationToken.None));

        Assert.Contains("has no endpoint /api/live: is it an older version?", error.Message, StringComparison.Ordinal);
        Assert.Equal("/api/live?seconds=10&machine=srv-1", Single().Path);
    }

    [Fact]
    public async Task Read_AnswerThatIsNotTheContract_OneLineNotACrash()
    {
        _silo.Answer(HttpStatusCode.OK, """{"id":42}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<CliException>(() => client.GetExperimentAsync("exp-1", CancellationToken.None));

        Assert.Contains("answered /api/experiments/exp-1 with something this fleet does not read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_SaysWhereItLooked()
    {
        _silo.Dispose();
        using var client = new FleetApiClient(new ApiSettings(_silo.Address, null));

        var error = await Assert.ThrowsAsync<CliException>(() => client.CancelExperimentAsync("exp-1", CancellationToken.None));

        Assert.StartsWith($"cannot reach the Fleet silo at {_silo.Address}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_Body_StreamedAsSent()
    {
        _silo.Answer(HttpStatusCode.OK, "#timestamp,#frame_is_ok\n1.0,false\n");
        using var client = Client();

        await using var body = await client.ExportAsync("box-a", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1.5), CancellationToken.None);
        using var reader = new StreamReader(body);

        Assert.Equal("#timestamp,#frame_is_ok\n1.0,false\n", await reader.ReadToEndAsync());
        Assert.Equal("/api/export?box=box-a&from=1970-01-01T00%3A00%3A00Z&to=1970-01-01T00%3A00%3A01.5Z", Single().Path);
    }

    private FleetApiClient Client() => new(new ApiSettings(_silo.Address, "token"));

    private (string Method, string Path) Single()
    {
        var request = Assert.Single(_silo.Requests);
        return (request.Method, request.Path);
    }
}
