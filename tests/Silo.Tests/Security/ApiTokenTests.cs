using System.Net;
using System.Net.Http.Headers;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Security;

/// <summary>
/// The bootstrap token on a real silo started with <c>Fleet__ApiToken=secret</c>, and the
/// development rule of a silo without one (loopback clients are the local admin). The other half
/// of that rule (a non-loopback client of a silo without a token gets 403) cannot be shown here:
/// every client of a test on one machine is loopback, and faking the remote address would test
/// the fake, not the silo.
/// </summary>
public sealed class ApiTokenTests : IClassFixture<TokenSiloFixture>, IClassFixture<SiloFixture>
{
    private readonly HttpClient _secured;
    private readonly HttpClient _open;

    public ApiTokenTests(TokenSiloFixture secured, SiloFixture open)
    {
        _secured = secured.Http;
        _open = open.Http;
    }

    [Theory]
    [InlineData("/api/machines")]
    [InlineData("/api/boxes")]
    [InlineData("/api/experiments/exp-1")]
    [InlineData("/api/energy?machine=m1&from=2026-11-25T08:00:00Z&to=2026-11-25T09:00:00Z")]
    [InlineData("/API/machines")]
    [InlineData("/Api/Boxes")]
    public async Task Api_NoAuthorizationHeader_Unauthorized(string path)
    {
        using var response = await _secured.GetAsync(new Uri(path, UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "API token");
    }

    [Theory]
    [InlineData("Bearer", "wrong")]
    [InlineData("Bearer", "secret2")]
    [InlineData("Bearer", "secre")]
    [InlineData("Basic", "secret")]
    public async Task Api_WrongCredentials_Unauthorized(string scheme, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/machines", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);

        using var response = await _secured.SendAsync(request);

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "API token");
    }

    [Fact]
    public async Task Api_BearerToken_Served()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/machines", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenSiloFixture.Token);

        using var response = await _secured.SendAsync(request);

        var machines = await SiloApi.ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(0, machines.GetArrayLength());
    }

    [Fact]
    public async Task Healthz_NoAuthorizationHeader_Open()
    {
        using var response = await _secured.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_NoTokenConfiguredLoopbackClient_Served()
    {
        using var response = await _open.GetAsync(new Uri("/api/machines", UriKind.Relative));

        var machines = await SiloApi.ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(0, machines.GetArrayLength());
    }

    [Fact]
    public async Task Api_NoTokenConfiguredLoopbackClientNamingAnotherHost_Forbidden()
    {
        // What a page on another site gets after pointing its own name at 127.0.0.1 (DNS rebinding).
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/machines", UriKind.Relative));
        request.Headers.Host = "attacker.example";

        using var response = await _open.SendAsync(request);

        await SiloApi.AssertErrorAsync(response, HttpStatusCode.Forbidden, "development mode");
    }
}
