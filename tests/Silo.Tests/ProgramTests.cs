using System.Text.Json;
using Fleet.Silo.Tests.Support;
using Fleet.Storage.Tests.Support;

namespace Fleet.Silo.Tests;

/// <summary>The silo's start-up as an operator sees it, and what it serves besides /api.</summary>
public sealed class ProgramTests : IClassFixture<SiloFixture>
{
    private readonly HttpClient _http;

    public ProgramTests(SiloFixture silo) => _http = silo.Http;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Main_NoConnectionString_ExitsNonZeroWithOneLineSayingWhatToSet(string? connectionString)
    {
        var (exitCode, standardError) = await SiloProcess.RunToExitAsync(
            new Dictionary<string, string?> { ["ConnectionStrings__Fleet"] = connectionString, ["Fleet__Clustering"] = "Localhost" },
            TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("ConnectionStrings__Fleet", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Served_ListsEveryApiPath()
    {
        using var response = await _http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/api/boxes", "/api/boxes/{box}", "/api/machines", "/api/machines/{name}", "/api/machines/{name}/sockets",
            "/api/experiments", "/api/experiments/{id}", "/api/experiments/{id}/start", "/api/experiments/{id}/marks",
            "/api/experiments/{id}/stop", "/api/experiments/{id}/cancel", "/api/energy",
        ];
        Assert.Empty(expected.Except(paths));
        Assert.True(document.RootElement.GetProperty("paths").GetProperty("/api/machines/{name}/sockets").TryGetProperty("put", out _));
    }

    [Fact]
    public async Task Main_StartedFromItsOwnDirectory_ListensWhereAspNetCoreUrlsSays()
    {
        // From its own directory the silo reads its appsettings.json, whose defaults must not
        // override the operator's ASPNETCORE_URLS (StartAsync waits for /healthz on that address).
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        try
        {
            await using var silo = await SiloProcess.StartAsync(postgres.DataSource.ConnectionString, workingDirectory: Path.GetDirectoryName(SiloProcess.SiloDll));

            Assert.Equal("ok", await silo.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}
