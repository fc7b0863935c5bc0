using System.Text.RegularExpressions;
using Fleet.Deploy.Tests.Support;

namespace Fleet.Deploy.Tests;

/// <summary>
/// deploy/docker-compose.yml and the Dockerfiles it builds. `docker-compose config` validates the file
/// and interpolates the environment without a Docker daemon; nothing here builds or pulls an image.
/// </summary>
public sealed partial class ComposeTests
{
    public const string PostgresPassword = "pg-secret-7f3a";
    public const string AppPassword = "app-secret-2b81";
    public const string ReaderPassword = "reader-secret-90ce";
    public const string ApiToken = "api-token-19bc";
    public const string MetricsToken = "metrics-token-44a0";
    public const string GrafanaPassword = "grafana-secret-5d2e";
    public const string Certificates = "/srv/fleet/lab-ca";

    public static readonly TheoryData<string> RequiredVariables = new()
    {
        "POSTGRES_PASSWORD", "FLEET_APP_PASSWORD", "FLEET_READER_PASSWORD", "FLEET_API_TOKEN", "FLEET_METRICS_TOKEN", "GRAFANA_ADMIN_PASSWORD", "FLEET_CERTS",
    };

    public static Dictionary<string, string?> AllSecrets() => new()
    {
        ["POSTGRES_PASSWORD"] = PostgresPassword,
        ["FLEET_APP_PASSWORD"] = AppPassword,
        ["FLEET_READER_PASSWORD"] = ReaderPassword,
        ["FLEET_API_TOKEN"] = ApiToken,
        ["FLEET_METRICS_TOKEN"] = MetricsToken,
        ["GRAFANA_ADMIN_PASSWORD"] = GrafanaPassword,
        ["FLEET_CERTS"] = Certificates,
        // No daemon is contacted by `config`; make sure none could be.
        ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock",
        ["COMPOSE_PROJECT_NAME"] = "fleet-test",
    };

    public static Task<ToolResult> ConfigAsync(IReadOnlyDictionary<string, string?> environment) =>
        Tool.RunAsync("docker-compose", ["-f", DeployFiles.ComposeFile, "config"], environment: environment);

    [Fact]
    public async Task Config_AllSecretsSet_Validates()
    {
        var result = await ConfigAsync(AllSecrets());

        Assert.True(result.ExitCode == 0, result.ToString());
        var services = Services(result.StandardOutput);
        Assert.Equal(["agent", "grafana", "postgres", "prometheus", "silo-1", "silo-2"], services.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RequiredVariables))]
    public async Task Config_SecretMissing_FailsNamingIt(string variable)
    {
        var environment = AllSecrets();
        environment[variable] = null;

        var result = await ConfigAsync(environment);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"set {variable}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_EverySecret_ComesFromTheEnvironment()
    {
        var result = await ConfigAsync(AllSecrets());
        Assert.True(result.ExitCode == 0, result.ToString());
        var services = Services(result.StandardOutput);

        // Every password, token or connection string password in the resolved file is one of the
        // values the environment gave: none is written in the repository.
        var secrets = SecretSetting().Matches(result.StandardOutput).Select(m => m.Groups["value"].Value.Trim().Trim('"', '\'')).ToList();
        Assert.True(secrets.Count >= 12, string.Join(", ", secrets));
        Assert.All(secrets, value => Assert.Contains(value, new[] { PostgresPassword, AppPassword, ReaderPassword, ApiToken, MetricsToken, GrafanaPassword }));

        foreach (var silo in new[] { "silo-1", "silo-2" })
        {
            Assert.Contains($"Fleet__ApiToken: {ApiToken}", services[silo], StringComparison.Ordinal);
            Assert.Contains($"Fleet__MetricsToken: {MetricsToken}", services[silo], StringComparison.Ordinal);
        }

        Assert.Contains($"GF_SECURITY_ADMIN_PASSWORD: {GrafanaPassword}", services["grafana"], StringComparison.Ordinal);
        Assert.Contains($"FLEET_READER_PASSWORD: {ReaderPassword}", services["grafana"], StringComparison.Ordinal);
        Assert.Contains($"FLEET_METRICS_TOKEN: {MetricsToken}", services["prometheus"], StringComparison.Ordinal);
        Assert.Contains($"POSTGRES_PASSWORD: {PostgresPassword}", services["postgres"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_Database_LeastPrivilegeRolesAndTheSuperuserOnlyForTheDatabasesInitialisation()
    {
        var result = await ConfigAsync(AllSecrets());
        Assert.True(result.ExitCode == 0, result.ToString());
        var services = Services(result.StandardOutput);

        // The silos connect as fleet_app; the agent holds no database credentials at all.
        var connectionString = $"Host=postgres;Port=5432;Username=fleet_app;Password={AppPassword};Database=fleet";
        Assert.Contains($"ConnectionStrings__Fleet: {connectionString}", services["silo-1"], StringComparison.Ordinal);
        Assert.Contains($"ConnectionStrings__Fleet: {connectionString}", services["silo-2"], StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionStrings", services["agent"], StringComparison.Ordinal);
        Assert.DoesNotContain(AppPassword, services["agent"], StringComparison.Ordinal);

        // The superuser's password is the database container's only, and Grafana has the reader's.
        Assert.All(services.Where(s => s.Key != "postgres"), s => Assert.DoesNotContain(PostgresPassword, s.Value, StringComparison.Ordinal));
        Assert.DoesNotContain(AppPassword, services["grafana"], StringComparison.Ordinal);
        Assert.Contains("/deploy/postgres/init:/docker-entrypoint-initdb.d:ro", services["postgres"], StringComparison.Ordinal);
        var init = await File.ReadAllTextAsync(Path.Combine(DeployFiles.Directory, "postgres", "init", "10-fleet-roles.sh"));
        Assert.Contains("CREATE ROLE fleet_app LOGIN PASSWORD :'app_password' NOSUPERUSER", init, StringComparison.Ordinal);
        Assert.Contains("CREATE ROLE fleet_reader LOGIN PASSWORD :'reader_password' NOSUPERUSER", init, StringComparison.Ordinal);
        Assert.Contains("ALTER ROLE fleet_reader SET statement_timeout", init, StringComparison.Ordinal);
        Assert.Contains("CREATE DATABASE fleet OWNER fleet_app", init, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_ClusterAndApi_UseTheLabsCertificatesAndNeverItsKey()
    {
        var result = await ConfigAsync(AllSecrets());
        Assert.True(result.ExitCode == 0, result.ToString());
        var services = Services(result.StandardOutput);

        foreach (var (silo, name) in new[] { ("silo-1", "silo-silo-1"), ("silo-2", "silo-silo-2") })
        {
            Assert.Equal("/etc/fleet/certs/silo.crt", Setting(services[silo], "Fleet__Tls__CertificateFile"));
            Assert.Equal("/etc/fleet/certs/silo.key", Setting(services[silo], "Fleet__Tls__KeyFile"));
            Assert.Equal("/etc/fleet/certs/ca.crt", Setting(services[silo], "Fleet__Tls__CaFile"));
            Assert.Equal("https://0.0.0.0:5080", Setting(services[silo], "ASPNETCORE_URLS"));
            Assert.Equal("/etc/fleet/certs/silo.crt", Setting(services[silo], "Kestrel__Certificates__Default__Path"));
            Assert.Contains($"{Certificates}/{name}.key:/etc/fleet/certs/silo.key:ro", services[silo], StringComparison.Ordinal);
        }

        var agent = services["agent"];
        Assert.Contains("- --tls-cert\n    - /etc/fleet/certs/agent.crt\n    - --tls-key\n    - /etc/fleet/certs/agent.key\n    - --tls-ca\n    - /etc/fleet/certs/ca.crt", agent, StringComparison.Ordinal);
        Assert.Contains("- --gateway\n    - silo-1:30000\n    - --gateway\n    - silo-2:30001", agent, StringComparison.Ordinal);
        Assert.Contains($"{Certificates}/agent-agent-1.key:/etc/fleet/certs/agent.key:ro", agent, StringComparison.Ordinal);

        // The authority's key signs certificates; no running service ever gets it.
        Assert.DoesNotContain("ca.key", result.StandardOutput, StringComparison.Ordinal);
        var prometheus = await File.ReadAllTextAsync(DeployFiles.PrometheusConfig);
        Assert.Equal(["https"], YamlText.Values(prometheus, "scheme"));
        Assert.Equal(["/etc/fleet/certs/ca.crt"], YamlText.Values(prometheus, "ca_file"));
        Assert.Equal(["/prometheus/metrics-token"], YamlText.Values(prometheus, "credentials_file"));
    }

    [Fact]
    public async Task Config_Silos_FormOneAdoNetClusterOnDistinctPorts()
    {
        var result = await ConfigAsync(AllSecrets());
        Assert.True(result.ExitCode == 0, result.ToString());
        var services = Services(result.StandardOutput);

        var silos = new[] { services["silo-1"], services["silo-2"] };
        Assert.All(silos, silo =>
        {
            Assert.Equal("AdoNet", Setting(silo, "Fleet__Clustering"));
            Assert.Equal("fleet", Setting(silo, "Fleet__ClusterId"));
            Assert.Equal("https://0.0.0.0:5080", Setting(silo, "ASPNETCORE_URLS"));
            Assert.Contains("dockerfile: deploy/Dockerfile.silo", silo, StringComparison.Ordinal);
            Assert.Contains("condition: service_healthy", silo, StringComparison.Ordinal);
        });
        var ports = silos.SelectMany(s => new[] { Setting(s, "Fleet__SiloPort"), Setting(s, "Fleet__GatewayPort") }).ToList();
        Assert.Equal(4, ports.Distinct().Count());
    }

    [Fact]
    public async Task Config_AgentAndGrafana_AreSetUpAsDocumented()
    {
        var result = await ConfigAsync(AllSecrets());
        Assert.True(result.ExitCode == 0, result.ToString());
        var services = Services(result.StandardOutput);

        var agent = services["agent"];
        Assert.Contains("- --simulate\n    - --box\n    - sim-1\n    - --gateway", agent, StringComparison.Ordinal);
        Assert.Contains("dockerfile: deploy/Dockerfile.agent", agent, StringComparison.Ordinal);

        var grafana = services["grafana"];
        Assert.Equal("\"false\"", Setting(grafana, "GF_AUTH_ANONYMOUS_ENABLED"));
        Assert.Contains("/deploy/grafana/provisioning:/etc/grafana/provisioning:ro", grafana, StringComparison.Ordinal);
        Assert.Contains("/deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro", grafana, StringComparison.Ordinal);
        Assert.Contains("/deploy/prometheus:/etc/prometheus:ro", services["prometheus"], StringComparison.Ordinal);

        var postgres = services["postgres"];
        Assert.Contains("pg_isready", postgres, StringComparison.Ordinal);
        Assert.Contains("postgres-data:/var/lib/postgresql/data", postgres, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeFile_RealSerialPortInstructions_ArePresentAsComments()
    {
        var compose = await File.ReadAllTextAsync(DeployFiles.ComposeFile);

        Assert.Contains("# devices:", compose, StringComparison.Ordinal);
        Assert.Contains("#   - /dev/ttyUSB0:/dev/ttyUSB0", compose, StringComparison.Ordinal);
        Assert.Contains("--serial\", \"/dev/ttyUSB0=omegawatt-a\"", compose, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dockerfile.silo", "src/Silo/Silo.csproj", "mcr.microsoft.com/dotnet/aspnet:10.0", "Fleet.Silo.dll")]
    [InlineData("Dockerfile.agent", "src/AgentHost/AgentHost.csproj", "mcr.microsoft.com/dotnet/runtime:10.0", "Fleet.AgentHost.dll")]
    [InlineData("Dockerfile.cli", "src/Cli/Cli.csproj", "mcr.microsoft.com/dotnet/runtime:10.0", "Fleet.Cli.dll")]
    public async Task Dockerfile_BuildsFromTheSolution_AndRunsUnprivileged(string file, string project, string finalImage, string assembly)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(DeployFiles.Directory, file));
        var from = FromLine().Matches(text).Select(m => m.Groups["image"].Value).ToList();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", finalImage], from);
        Assert.Contains($"dotnet restore {project}", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project}", text, StringComparison.Ordinal);
        Assert.Contains($"\"{assembly}\"", text, StringComparison.Ordinal);
        Assert.Matches(@"\nUSER \$APP_UID\n", text);

        // Everything the build copies exists at the repository root, and the project is there.
        var copied = CopyLine().Matches(text).SelectMany(m => m.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains("Directory.Packages.props", copied);
        Assert.All(copied, source => Assert.True(Path.Exists(Path.Combine(DeployFiles.RepositoryRoot, source)), $"{file} copies missing {source}"));
        Assert.True(File.Exists(Path.Combine(DeployFiles.RepositoryRoot, project)), project);
        Assert.True(File.Exists(Path.Combine(DeployFiles.Directory, file + ".dockerignore")), $"{file}.dockerignore");
    }

    /// <summary>The services of `docker-compose config` output, each as its block of text.</summary>
    internal static Dictionary<string, string> Services(string config)
    {
        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var inServices = false;
        foreach (var line in config.Split('\n'))
        {
            if (line.Length > 0 && line[0] != ' ')
            {
                inServices = line.StartsWith("services:", StringComparison.Ordinal);
                current = null;
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            if (line.StartsWith("  ", StringComparison.Ordinal) && line.Length > 2 && line[2] != ' ' && line.TrimEnd().EndsWith(':'))
            {
                current = line.Trim().TrimEnd(':');
                services[current] = string.Empty;
            }
            else if (current is not null)
            {
                services[current] += line + "\n";
            }
        }

        return services;
    }

    private static string Setting(string service, string name)
    {
        var match = Regex.Match(service, $@"\n\s+{Regex.Escape(name)}: (?<value>[^\n]+)");
        Assert.True(match.Success, $"{name} not set in\n{service}");
        return match.Groups["value"].Value.Trim();
    }

    [GeneratedRegex(@"(?im)^\s*[A-Za-z_]*(PASSWORD|TOKEN)[A-Za-z_]*:\s*(?<value>.+)$|Password=(?<value>[^;\n]+)")]
    private static partial Regex SecretSetting();

    [GeneratedRegex(@"(?m)^FROM (?<image>\S+)")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^COPY (?!--from)(?<sources>.+) \S+$")]
    private static partial Regex CopyLine();
}
