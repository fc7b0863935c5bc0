namespace Fleet.Deploy.Tests.Support;

/// <summary>Where the repository's deploy/ files are, found by walking up from the test binaries.</summary>
public static class DeployFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Directory => Path.Combine(RepositoryRoot, "deploy");

    public static string ComposeFile => Path.Combine(Directory, "docker-compose.yml");

    public static string PrometheusDirectory => Path.Combine(Directory, "prometheus");

    public static string PrometheusConfig => Path.Combine(PrometheusDirectory, "prometheus.yml");

    public static string AlertRules => Path.Combine(PrometheusDirectory, "alerts.yml");

    public static string AlertRuleTests => Path.Combine(PrometheusDirectory, "tests", "alerts.test.yml");

    public static string GrafanaDatasources => Path.Combine(Directory, "grafana", "provisioning", "datasources", "datasources.yml");

    public static string GrafanaDashboardProviders => Path.Combine(Directory, "grafana", "provisioning", "dashboards", "dashboards.yml");

    public static string DashboardsDirectory => Path.Combine(Directory, "grafana", "dashboards");

    public static IReadOnlyList<string> DashboardFiles =>
        [.. System.IO.Directory.GetFiles(DashboardsDirectory, "*.json").Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fleet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Fleet.sln not found above {AppContext.BaseDirectory}");
    }
}
