using System.Reflection;
using System.Text.Json;
using Fleet.Api.Contracts.Errors;
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
            "/api/series", "/api/export", "/api/live", "/api/silos", "/api/boxes/{box}/live", "/api/boxes/{box}/frames", "/api/boxes/{box}/low-frequency",
        ];
        Assert.Empty(expected.Except(paths));
        Assert.True(document.RootElement.GetProperty("paths").GetProperty("/api/machines/{name}/sockets").TryGetProperty("put", out _));
    }

    [Fact]
    public async Task OpenApi_Served_SaysWhatEachEnergyFigureIsRelativeTo()
    {
        using var response = await _http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var energy = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("EnergyResponse").GetProperty("properties");
        Assert.Contains("covered", energy.GetProperty("mean_watts").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("whole window", energy.GetProperty("coverage").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("no extrapolation", energy.GetProperty("interpolated_joules").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(energy.TryGetProperty("covered_from", out _));
        Assert.Contains("covered", document.RootElement.GetProperty("paths").GetProperty("/api/energy").GetProperty("get").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Served_DescribesEveryContractRecordInSnakeCase()
    {
        using var response = await _http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var contract = typeof(ApiError).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.IsSealed && !t.IsAbstract && t.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null)
            .ToList();
        Assert.True(contract.Count > 20, $"only {contract.Count} contract records found");
        var missing = contract.Select(t => t.Name).Where(name => !schemas.TryGetProperty(name, out _)).ToList();
        Assert.True(missing.Count == 0, $"contract records without a schema: {string.Join(", ", missing)}");

        // Names as the wire has them, times as ISO 8601 strings, the new phases and the status's values.
        var experiment = schemas.GetProperty("ExperimentResponse").GetProperty("properties");
        Assert.True(experiment.TryGetProperty("started_at", out var startedAt));
        Assert.Equal("date-time", startedAt.GetProperty("format").GetString());
        Assert.Contains("string", startedAt.GetProperty("type").ToString(), StringComparison.Ordinal);
        Assert.True(experiment.TryGetProperty("phases", out _));
        Assert.Contains("running", schemas.GetProperty("ExperimentStatus").ToString(), StringComparison.Ordinal);
        Assert.True(schemas.GetProperty("LiveMachineResponse").GetProperty("properties").TryGetProperty("power_watts", out _));
        var paths = document.RootElement.GetProperty("paths");
        Assert.Contains("LiveResponse", paths.GetProperty("/api/live").GetProperty("get").ToString(), StringComparison.Ordinal);
        Assert.Contains("ExperimentResponse", paths.GetProperty("/api/experiments").GetProperty("post").ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiError", paths.GetProperty("/api/experiments/{id}").GetProperty("get").ToString(), StringComparison.Ordinal);
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
