using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;

namespace Fleet.EndToEnd.Tests;

/// <summary>`fleet` against a silo that requires an API token: from flags, environment or the config file.</summary>
public sealed class TokenTests : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly string _config = Directory.CreateTempSubdirectory("fleet-config-").FullName;

    public TokenTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public async Task Cli_TokenWrongMissingOrRight_OneClearLineOrServed()
    {
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString, environment: new Dictionary<string, string> { ["Fleet__ApiToken"] = "s3cret" });
        await silo.StartAsync();
        var url = $"http://127.0.0.1:{silo.HttpPort}";

        var wrong = await RunAsync(["machines", "list", "--url", url, "--token", "nope"]);
        var missing = await RunAsync(["machines", "list", "--url", url]);
        var flag = await RunAsync(["machines", "list", "--url", url, "--token", "s3cret"]);
        var environment = await RunAsync(["machines", "list", "--url", url], new Dictionary<string, string> { ["FLEET_TOKEN"] = "s3cret" });
        Directory.CreateDirectory(Path.Combine(_config, "fleet"));
        await File.WriteAllTextAsync(Path.Combine(_config, "fleet", "config.json"), $$"""{"url": "{{url}}", "token": "s3cret"}""");
        var file = await RunAsync(["machines", "list"], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _config });

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("missing or wrong API token", wrong.Error, StringComparison.Ordinal);
        Assert.Contains("--token", wrong.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.True(flag.ExitCode == 0, flag.Error);
        Assert.True(environment.ExitCode == 0, environment.Error);
        Assert.True(file.ExitCode == 0, file.Error);
        Assert.DoesNotContain("   at ", wrong.Error + missing.Error, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments, Dictionary<string, string>? environment = null) =>
        FleetCli.RunAsync(arguments, environment);
}
