using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>/api/machines on a real silo and database. Each test uses machines and boxes of its own, so order does not matter.</summary>
public sealed class MachineEndpointsTests : IClassFixture<SiloFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _http;

    private readonly SiloFixture _silo;

    public MachineEndpointsTests(SiloFixture silo)
    {
        _silo = silo;
        _http = silo.Http;
    }

    [Fact]
    public async Task PutSockets_MachineMovedLater_OldAssignmentClosedAndBothRowsInHistory()
    {
        var first = await AssignAsync("m-move", T0, HttpStatusCode.OK, "box-a:1");
        var only = Assert.Single(first.EnumerateArray());
        AssertRow(only, "m-move", "box-a", 1, T0, null);

        await AssignAsync("m-move", T0.AddHours(1), HttpStatusCode.OK, "box-a:2");

        var history = (await _http.GetJsonAsync("/api/machines/m-move")).EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        AssertRow(history[0], "m-move", "box-a", 1, T0, T0.AddHours(1));
        AssertRow(history[1], "m-move", "box-a", 2, T0.AddHours(1), null);
    }

    [Fact]
    public async Task PutSockets_TwoPowerSupplies_BothSocketsOpen()
    {
        var rows = (await AssignAsync("m-dual", T0, HttpStatusCode.OK, "box-d:1", "box-d:2")).EnumerateArray().ToList();

        Assert.Equal(2, rows.Count);
        AssertRow(rows[0], "m-dual", "box-d", 1, T0, null);
        AssertRow(rows[1], "m-dual", "box-d", 2, T0, null);
    }

    [Fact]
    public async Task GetMachines_At_ReturnsOnlyTheAssignmentValidThen()
    {
        await AssignAsync("m-at", T0, HttpStatusCode.OK, "box-b:1");
        await AssignAsync("m-at", T0.AddHours(2), HttpStatusCode.OK, "box-b:2");

        var before = await ValidAtAsync("m-at", T0.AddMinutes(-1));
        var during = await ValidAtAsync("m-at", T0.AddMinutes(30));
        var atMove = await ValidAtAsync("m-at", T0.AddHours(2));
        var after = await ValidAtAsync("m-at", T0.AddDays(3));

        Assert.Empty(before);
        AssertRow(Assert.Single(during), "m-at", "box-b", 1, T0, T0.AddHours(2));
        // Validity is [from, to): at the instant of the move the machine is on its new socket.
        AssertRow(Assert.Single(atMove), "m-at", "box-b", 2, T0.AddHours(2), null);
        AssertRow(Assert.Single(after), "m-at", "box-b", 2, T0.AddHours(2), null);
    }

    [Fact]
    public async Task PutSockets_SocketHeldByAnotherMachineThen_ConflictNamingTheHolder()
    {
        await AssignAsync("m-holder", T0, HttpStatusCode.OK, "box-c:1");

        using var response = await PutAsync("m-intruder", new { sockets = new[] { "box-c:1" }, from = SiloApi.Time(T0.AddMinutes(30)), force = true });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Conflict, "m-holder");
        using var intruder = await _http.GetAsync(new Uri("/api/machines/m-intruder", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, intruder.StatusCode);
    }

    [Fact]
    public async Task PutSockets_SocketFreedBeforeThen_Assigned()
    {
        await AssignAsync("m-leaver", T0, HttpStatusCode.OK, "box-e:1");
        await AssignAsync("m-leaver", T0.AddHours(1), HttpStatusCode.OK, "box-e:2");

        var rows = await AssignAsync("m-successor", T0.AddHours(1), HttpStatusCode.OK, "box-e:1");

        AssertRow(Assert.Single(rows.EnumerateArray()), "m-successor", "box-e", 1, T0.AddHours(1), null);
    }

    [Theory]
    [InlineData("box-a", "'box-a' is not a socket")]
    [InlineData("box-a:0", "'box-a:0' is not a socket")]
    [InlineData("box-a:99", "'box-a:99' is not a socket")]
    [InlineData("box-a:-1", "'box-a:-1' is not a socket")]
    [InlineData("box-a:x", "'box-a:x' is not a socket")]
    [InlineData(":1", "':1' is not a socket")]
    [InlineData("", "'' is not a socket")]
    [InlineData("bad box:1", "'bad box' is not a valid box id")]
    public async Task PutSockets_BadSocketText_BadRequestQuotingIt(string socket, string contains)
    {
        using var response = await PutAsync("m-bad-socket", new { sockets = new[] { socket } });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, contains);
        await AssertUnknownAsync("m-bad-socket");
    }

    [Fact]
    public async Task PutSockets_InvalidMachineName_BadRequest()
    {
        using var response = await PutAsync("bad%20name!", new { sockets = new[] { "box-a:3" } });

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "'bad name!' is not a valid machine name");
    }

    [Theory]
    [InlineData("""{"sockets":[]}""", "at least one socket")]
    [InlineData("""{}""", "at least one socket")]
    [InlineData("""{"sockets":["box-f:1","box-f:1"]}""", "box-f:1")]
    [InlineData("""{"sockets":["box-f:1"],"from":"yesterday"}""", "'yesterday'")]
    public async Task PutSockets_InvalidRequest_BadRequest(string body, string contains)
    {
        using var response = await PutRawAsync("m-invalid", body, "application/json");

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, contains);
        await AssertUnknownAsync("m-invalid");
    }

    [Theory]
    [InlineData("not json", "application/json")]
    [InlineData("""{"sockets":[null]}""", "application/json")]
    [InlineData("""{"sockets":"box-a:1"}""", "application/json")]
    [InlineData("""{"sockets":[1]}""", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("""{"sockets":["box-a:1"]}""", "text/plain")]
    public async Task PutSockets_MalformedBody_ClientErrorWithJsonMessage(string body, string contentType)
    {
        using var response = await PutRawAsync("m-malformed", body, contentType);

        // 400 for a body that is not the request, 415 for one that is not JSON: never a 500.
        Assert.True((int)response.StatusCode is 400 or 415, $"got {(int)response.StatusCode}");
        await SiloApi.AssertErrorAsync(response, response.StatusCode);
        await AssertUnknownAsync("m-malformed");
    }

    [Fact]
    public async Task PutSockets_BoxNeverSeen_BadRequestSayingSoUnlessForced()
    {
        using var refused = await PutAsync("m-nobox", new { sockets = new[] { "nobox:1" }, from = SiloApi.Time(T0) });
        await SiloApi.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "box 'nobox' has sent no frame yet");
        await AssertUnknownAsync("m-nobox");

        using var forced = await PutAsync("m-nobox", new { sockets = new[] { "nobox:1" }, from = SiloApi.Time(T0), force = true });
        AssertRow(Assert.Single((await SiloApi.ReadJsonAsync(forced, HttpStatusCode.OK)).EnumerateArray()), "m-nobox", "nobox", 1, T0, null);
    }

    [Fact]
    public async Task PutSockets_SocketPastTheBoxsPlugCount_BadRequestNamingTheCount()
    {
        await StoreFramesAsync("box-six");

        using var refused = await PutAsync("m-socket9", new { sockets = new[] { "box-six:9" }, from = SiloApi.Time(T0) });
        using var accepted = await PutAsync("m-socket6", new { sockets = new[] { "box-six:6" }, from = SiloApi.Time(T0) });

        await SiloApi.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "box box-six has 6 sockets: there is no socket 9");
        await AssertUnknownAsync("m-socket9");
        await SiloApi.ReadJsonAsync(accepted, HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetSockets_Window_EachSocketWithThePartOfTheWindowItMeasured()
    {
        await AssignAsync("m-parts", T0, HttpStatusCode.OK, "box-g:1", "box-h:2");
        await AssignAsync("m-parts", T0.AddHours(1), HttpStatusCode.OK, "box-g:3");

        var parts = (await _http.GetJsonAsync($"/api/machines/m-parts/sockets?from={Uri.EscapeDataString(SiloApi.Time(T0.AddMinutes(30)))}&to={Uri.EscapeDataString(SiloApi.Time(T0.AddHours(2)))}"))
            .EnumerateArray().Select(p => (p.Text("box"), p.GetProperty("socket").GetInt32(), p.GetProperty("from").GetDateTimeOffset(), p.GetProperty("to").GetDateTimeOffset())).ToList();

        var expected = new List<(string?, int, DateTimeOffset, DateTimeOffset)>
        {
            ("box-g", 1, T0.AddMinutes(30), T0.AddHours(1)),
            ("box-h", 2, T0.AddMinutes(30), T0.AddHours(1)),
            ("box-g", 3, T0.AddHours(1), T0.AddHours(2)),
        };
        Assert.Equal(expected, parts);
    }

    [Fact]
    public async Task GetMachine_Unknown_NotFound()
    {
        using var response = await _http.GetAsync(new Uri("/api/machines/nobody", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.NotFound, "unknown machine 'nobody'");
    }

    [Fact]
    public async Task GetMachine_InvalidName_BadRequest()
    {
        using var response = await _http.GetAsync(new Uri("/api/machines/bad%20name!", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "'bad name!'");
    }

    [Fact]
    public async Task GetMachines_BadAt_BadRequest()
    {
        using var response = await _http.GetAsync(new Uri("/api/machines?at=noon", UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.BadRequest, "'noon'");
    }

    /// <summary>Assigns with force: these tests are about history, on boxes that never sent a frame.</summary>
    private async Task<JsonElement> AssignAsync(string machine, DateTimeOffset from, HttpStatusCode expected, params string[] sockets)
    {
        using var response = await PutAsync(machine, new { sockets, from = SiloApi.Time(from), force = true });
        return await SiloApi.ReadJsonAsync(response, expected);
    }

    /// <summary>One stored frame makes a box known, with its 6 sockets.</summary>
    private async Task StoreFramesAsync(string box)
    {
        var startUs = (T0 - DateTimeOffset.UnixEpoch).Ticks / 10;
        var block = new Fleet.Storage.Samples.SampleBlock(box, "test-source", 1, "test-writer", "test-host", 6, [startUs], [0], [true], new float[3], new float[6], new float[6]);
        Assert.True(await new Fleet.Storage.Samples.SampleWriter(_silo.DataSource).WriteAsync(block));
    }

    private Task<HttpResponseMessage> PutAsync(string machine, object body) =>
        _http.PutAsJsonAsync($"/api/machines/{machine}/sockets", body);

    private Task<HttpResponseMessage> PutRawAsync(string machine, string body, string contentType) =>
        _http.PutAsync(new Uri($"/api/machines/{machine}/sockets", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));

    private async Task<List<JsonElement>> ValidAtAsync(string machine, DateTimeOffset at)
    {
        var rows = await _http.GetJsonAsync($"/api/machines?at={Uri.EscapeDataString(SiloApi.Time(at))}");
        return [.. rows.EnumerateArray().Where(r => r.Text("machine") == machine)];
    }

    private async Task AssertUnknownAsync(string machine)
    {
        // A refused request stores nothing.
        using var response = await _http.GetAsync(new Uri($"/api/machines/{machine}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void AssertRow(JsonElement row, string machine, string box, int socket, DateTimeOffset validFrom, DateTimeOffset? validTo)
    {
        Assert.Equal(machine, row.Text("machine"));
        Assert.Equal(box, row.Text("box"));
        Assert.Equal(socket, row.GetProperty("socket").GetInt32());
        Assert.Equal(validFrom, row.GetProperty("valid_from").GetDateTimeOffset());
        var to = row.GetProperty("valid_to");
        if (validTo is null)
        {
            Assert.Equal(JsonValueKind.Null, to.ValueKind);
        }
        else
        {
            Assert.Equal(validTo.Value, to.GetDateTimeOffset());
        }
    }
}
