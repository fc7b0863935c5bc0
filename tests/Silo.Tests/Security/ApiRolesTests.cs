using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Security;

/// <summary>
/// The API's roles on a real silo with a bootstrap admin token and tokens in PostgreSQL: what
/// each role may do, revocation, JSON-only writes, the metrics token, and the audit log.
/// </summary>
public sealed class ApiRolesTests : IClassFixture<TokenSiloFixture>
{
    private readonly TokenSiloFixture _silo;

    public ApiRolesTests(TokenSiloFixture silo) => _silo = silo;

    [Theory]
    [InlineData("/api/machines")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Get_NoToken_Unauthorized(string path)
    {
        using var response = await _silo.Http.GetAsync(new Uri(path, UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "API token");
    }

    [Fact]
    public async Task ViewerToken_ReadsServedWritesForbidden()
    {
        var viewer = await CreateTokenAsync("viewer", "wall-screen");

        using var read = await SendAsync(HttpMethod.Get, "/api/machines", viewer);
        using var metrics = await SendAsync(HttpMethod.Get, "/metrics", viewer);
        using var openApi = await SendAsync(HttpMethod.Get, "/openapi/v1.json", viewer);
        using var experiment = await SendAsync(HttpMethod.Post, "/api/experiments", viewer, new { name = "x", machines = new[] { "srv-1" } });
        using var assign = await SendAsync(HttpMethod.Put, "/api/machines/srv-1/sockets", viewer, new { sockets = new[] { "box-a:1" } });
        using var tokens = await SendAsync(HttpMethod.Get, "/api/tokens", viewer);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var error = await SiloApi.AssertErrorAsync(experiment, HttpStatusCode.Forbidden, "needs role experimenter");
        Assert.Contains("wall-screen", error, StringComparison.Ordinal);
        await SiloApi.AssertErrorAsync(assign, HttpStatusCode.Forbidden, "needs role admin");
        await SiloApi.AssertErrorAsync(tokens, HttpStatusCode.Forbidden, "needs role admin");
    }

    [Fact]
    public async Task ExperimenterToken_RunsExperimentsButAssignsNoMachine()
    {
        var experimenter = await CreateTokenAsync("experimenter", "alice");

        using var assign = await SendAsync(HttpMethod.Put, "/api/machines/srv-e/sockets", experimenter, new { sockets = new[] { "box-e:1" } });
        using var admin = await SendAsync(HttpMethod.Put, "/api/machines/srv-e/sockets", TokenSiloFixture.Token, new { sockets = new[] { "box-e:1" }, force = true });
        using var experiment = await SendAsync(HttpMethod.Post, "/api/experiments", experimenter, new { id = "exp-alice", machines = new[] { "srv-e" } });
        using var enrol = await SendAsync(HttpMethod.Post, "/api/agents/usb-host-1/allow", experimenter, new { boxes = new[] { "box-e" } });

        await SiloApi.AssertErrorAsync(assign, HttpStatusCode.Forbidden, "needs role admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, experiment.StatusCode);
        await SiloApi.AssertErrorAsync(enrol, HttpStatusCode.Forbidden, "needs role admin");
    }

    [Fact]
    public async Task RunnerRole_ViewerSubmitsNothingExperimenterAppliesNoIdentification()
    {
        var viewer = await CreateTokenAsync("viewer", "screen-2");
        var experimenter = await CreateTokenAsync("experimenter", "dave");

        using var submit = await SendAsync(HttpMethod.Post, "/api/submissions", viewer, new { machines = new[] { "srv-1" }, command = new[] { "true" } });
        using var apply = await SendAsync(HttpMethod.Post, "/api/machines/srv-1/identify", experimenter, new { apply = true });
        using var enrol = await SendAsync(HttpMethod.Post, "/api/agents/srv-1/allow", experimenter, new { machines = new[] { "srv-1" } });
        using var queue = await SendAsync(HttpMethod.Get, "/api/queue", viewer);

        await SiloApi.AssertErrorAsync(submit, HttpStatusCode.Forbidden, "needs role experimenter");
        var error = await SiloApi.AssertErrorAsync(apply, HttpStatusCode.Forbidden, "needs role admin");
        Assert.Contains("'dave' has role experimenter", error, StringComparison.Ordinal);
        await SiloApi.AssertErrorAsync(enrol, HttpStatusCode.Forbidden, "needs role admin");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains(await AuditRowsAsync(), r => r is { Actor: "dave", Path: "/api/machines/srv-1/identify", Status: 403 });
    }

    [Fact]
    public async Task RevokedToken_UnauthorizedFromTheNextRequest()
    {
        var token = await CreateTokenAsync("viewer", "leaver");
        using var before = await SendAsync(HttpMethod.Get, "/api/machines", token);

        using var revoke = await SendAsync(HttpMethod.Post, "/api/tokens/leaver/revoke", TokenSiloFixture.Token);
        using var after = await SendAsync(HttpMethod.Get, "/api/machines", token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await SiloApi.AssertErrorAsync(after, HttpStatusCode.Unauthorized, "'leaver' was revoked");
    }

    [Fact]
    public async Task Token_StoredOnlyAsItsHash_NeverListed()
    {
        var token = await CreateTokenAsync("viewer", "hashed");

        using var list = await SendAsync(HttpMethod.Get, "/api/tokens", TokenSiloFixture.Token);
        var listed = await list.Content.ReadAsStringAsync();
        await using var command = _silo.DataSource.CreateCommand("SELECT token_sha256 FROM api_tokens WHERE name = 'hashed'");
        var stored = (byte[])(await command.ExecuteScalarAsync())!;

        Assert.Contains("\"hashed\"", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "confirm=yes")]
    [InlineData("multipart/form-data; boundary=x", "--x--")]
    [InlineData("text/plain", "{}")]
    public async Task Write_FormOrTextBody_UnsupportedMediaType(string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/experiments/exp-x/cancel", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenSiloFixture.Token);

        using var response = await _silo.Http.SendAsync(request);

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "takes a JSON body");
    }

    [Fact]
    public async Task MetricsToken_ReadsMetricsOnly()
    {
        using var metrics = await SendAsync(HttpMethod.Get, "/metrics", TokenSiloFixture.MetricsToken);
        using var api = await SendAsync(HttpMethod.Get, "/api/machines", TokenSiloFixture.MetricsToken);

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        await SiloApi.AssertErrorAsync(api, HttpStatusCode.Forbidden, "needs role viewer");
    }

    [Fact]
    public async Task Writes_EveryOneInTheAuditLog_AssignmentsWithBeforeAndAfter()
    {
        var experimenter = await CreateTokenAsync("experimenter", "bob");
        var viewer = await CreateTokenAsync("viewer", "carol");
        using var first = await SendAsync(HttpMethod.Put, "/api/machines/srv-a/sockets", TokenSiloFixture.Token, new { sockets = new[] { "box-audit:1" }, from = "2026-11-25T09:00:00Z", force = true });
        using var moved = await SendAsync(HttpMethod.Put, "/api/machines/srv-a/sockets", TokenSiloFixture.Token, new { sockets = new[] { "box-audit:2" }, from = "2026-11-25T10:00:00Z", force = true });
        using var created = await SendAsync(HttpMethod.Post, "/api/experiments", experimenter, new { id = "exp-audit", machines = new[] { "srv-a" } });
        using var started = await SendAsync(HttpMethod.Post, "/api/experiments/exp-audit/start", experimenter, new { });
        using var marked = await SendAsync(HttpMethod.Post, "/api/experiments/exp-audit/marks", experimenter, new { name = "warmup" });
        using var cancelled = await SendAsync(HttpMethod.Post, "/api/experiments/exp-audit/cancel", experimenter);
        using var refused = await SendAsync(HttpMethod.Post, "/api/experiments", viewer, new { id = "exp-refused", machines = new[] { "srv-a" } });
        using var enrolled = await SendAsync(HttpMethod.Post, "/api/agents/usb-audit/allow", TokenSiloFixture.Token, new { boxes = new[] { "box-audit" } });
        Assert.All(new[] { first, moved, enrolled }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var rows = await AuditRowsAsync();

        Assert.Contains(rows, r => r is { Actor: "bootstrap", Role: "admin", Method: "POST", Path: "/api/tokens", Status: 201 } && r.After!.Contains("\"bob\"", StringComparison.Ordinal));
        Assert.Contains(rows, r => r is { Actor: "bob", Role: "experimenter", Method: "POST", Path: "/api/experiments", Status: 201 });
        Assert.Contains(rows, r => r is { Actor: "bob", Path: "/api/experiments/exp-audit/start", Status: 200 });
        Assert.Contains(rows, r => r is { Actor: "bob", Path: "/api/experiments/exp-audit/marks", Status: 200 });
        Assert.Contains(rows, r => r is { Actor: "bob", Path: "/api/experiments/exp-audit/cancel", Status: 200 });
        Assert.Contains(rows, r => r is { Actor: "carol", Role: "viewer", Path: "/api/experiments", Status: 403 });
        Assert.Contains(rows, r => r is { Path: "/api/agents/usb-audit/allow", Status: 200 } && r.Before == "[]" && r.After!.Contains("box-audit", StringComparison.Ordinal));
        var move = Assert.Single(rows, r => r.Path == "/api/machines/srv-a/sockets" && r.Before != "[]");
        Assert.Contains("box-audit:1", Sockets(move.Before), StringComparer.Ordinal);
        Assert.DoesNotContain("box-audit:2", Sockets(move.Before), StringComparer.Ordinal);
        Assert.Equal(["box-audit:1", "box-audit:2"], Sockets(move.After).Order(StringComparer.Ordinal));
        Assert.Contains(rows, r => r.Path == "/api/machines/srv-a/sockets" && r.Before == "[]" && Sockets(r.After).SequenceEqual(["box-audit:1"]));
        Assert.All(rows, r => Assert.NotEqual("GET", r.Method));
    }

    private static IEnumerable<string> Sockets(string? json)
    {
        using var document = JsonDocument.Parse(json!);
        return [.. document.RootElement.EnumerateArray().Select(a => $"{a.GetProperty("box").GetString()}:{a.GetProperty("socket").GetInt32()}")];
    }

    private async Task<List<AuditRow>> AuditRowsAsync()
    {
        await using var command = _silo.DataSource.CreateCommand("SELECT actor, role, method, path, status, before::text, after::text FROM audit_log ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    private async Task<string> CreateTokenAsync(string role, string name)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/tokens", TokenSiloFixture.Token, new { name, role });
        var created = await SiloApi.ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(role, created.Text("role"));
        return created.Text("token")!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _silo.Http.SendAsync(request);
    }

    private sealed record AuditRow(string Actor, string Role, string Method, string Path, int Status, string? Before, string? After);
}
