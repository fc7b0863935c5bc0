using System.Text.Json.Nodes;
using Fleet.Deploy.Tests.Support;

namespace Fleet.Deploy.Tests;

/// <summary>deploy/grafana: the provisioning files and the dashboards they load.</summary>
public sealed class DashboardTests
{
    private static readonly string[] Names = ["fleet-experiment.json", "fleet-overview.json", "orleans-cluster.json"];

    public static TheoryData<string> DashboardNames => new(Names);

    [Fact]
    public void DashboardsDirectory_HoldsExactlyTheThreeDashboards()
    {
        Assert.Equal(Names, DeployFiles.DashboardFiles.Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(DashboardNames))]
    public void Dashboard_Parses_WithUniqueIdsAndPanels(string name)
    {
        var dashboard = Dashboards.Load(Path.Combine(DeployFiles.DashboardsDirectory, name));

        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["uid"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]));
        Assert.Null(dashboard["id"]); // provisioned dashboards get their id from Grafana
        var panels = Dashboards.Panels(dashboard).ToList();
        Assert.True(panels.Count >= 4, $"{name} has {panels.Count} panels");
        var ids = (dashboard["panels"]?.AsArray() ?? []).OfType<JsonObject>().Select(p => (int?)p["id"]).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(panels, panel =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)panel["title"]));
            Assert.NotEmpty(panel["targets"]?.AsArray() ?? []);
        });
    }

    [Fact]
    public void Dashboards_Uids_AreDistinct()
    {
        var uids = DeployFiles.DashboardFiles.Select(f => (string?)Dashboards.Load(f)["uid"]).ToList();

        Assert.Equal(uids.Count, uids.Distinct().Count());
    }

    [Fact]
    public void Provisioning_Datasources_ArePrometheusAndPostgresWithThePasswordFromTheEnvironment()
    {
        var datasources = GrafanaDatasources.Provisioned();

        Assert.Equal(["prometheus", "postgres"], datasources.Select(d => d.Uid));
        Assert.Equal(["prometheus", "grafana-postgresql-datasource"], datasources.Select(d => d.Type));
        Assert.Equal(["http://prometheus:9090"], YamlText.Values(datasources[0].Text, "url"));
        Assert.Equal(["postgres:5432"], YamlText.Values(datasources[1].Text, "url"));
        Assert.Equal(["$__env{FLEET_READER_PASSWORD}"], YamlText.Values(datasources[1].Text, "password"));
        // The read-only role, never the superuser or the silos' fleet_app.
        Assert.Equal(["fleet_reader"], YamlText.Values(datasources[1].Text, "user"));
    }

    [Fact]
    public void Provisioning_DashboardProvider_LoadsTheDirectoryComposeMounts()
    {
        var providers = File.ReadAllText(DeployFiles.GrafanaDashboardProviders);
        var compose = File.ReadAllText(DeployFiles.ComposeFile);

        Assert.Equal(["file"], YamlText.Values(providers, "type"));
        Assert.Equal(["/var/lib/grafana/dashboards"], YamlText.Values(providers, "path"));
        Assert.Contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboards_EveryPanelTargetVariableAndAnnotation_UsesAProvisionedDatasource()
    {
        var provisioned = GrafanaDatasources.Provisioned().ToDictionary(d => d.Uid, d => d.Type, StringComparer.Ordinal);
        var queries = Dashboards.AllQueries().ToList();

        Assert.True(queries.Count >= 30, $"only {queries.Count} queries found");
        Assert.All(queries, query =>
        {
            Assert.True(query.DatasourceUid is not null && provisioned.ContainsKey(query.DatasourceUid), $"{query}: datasource uid '{query.DatasourceUid}' is not provisioned");
            Assert.True(provisioned[query.DatasourceUid!] == query.DatasourceType, $"{query}: type '{query.DatasourceType}' differs from the provisioned '{provisioned[query.DatasourceUid!]}'");
            Assert.False(string.IsNullOrWhiteSpace(query.Text), $"{query}: empty query");
        });
        foreach (var file in DeployFiles.DashboardFiles)
        {
            Assert.All(Dashboards.Panels(Dashboards.Load(file)), panel =>
                Assert.True(provisioned.ContainsKey((string?)panel["datasource"]?["uid"] ?? string.Empty), $"{Path.GetFileName(file)}: panel '{panel["title"]}' has no provisioned datasource"));
        }
    }

    [Fact]
    public void Overview_Panels_CoverPowerEnergyFramesAndAgents()
    {
        var names = Dashboards.Queries(Path.Combine(DeployFiles.DashboardsDirectory, "fleet-overview.json"))
            .SelectMany(q => PromQl.MetricNames(q.Text)).ToHashSet(StringComparer.Ordinal);
        var expressions = string.Join('\n', Dashboards.Queries(Path.Combine(DeployFiles.DashboardsDirectory, "fleet-overview.json")).Select(q => q.Text));

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "fleet_machine_power_watts", "fleet_socket_power_watts", "fleet_socket_energy_joules_total", "fleet_frames_total",
                "fleet_frames_lost_total", "fleet_last_frame_timestamp_seconds", "fleet_agent_spool_bytes",
            },
            names);
        Assert.Contains("increase(fleet_socket_energy_joules_total{machine=~\"$machine\"}[1d])", expressions, StringComparison.Ordinal);
        Assert.Contains("rate(fleet_frames_total{box=~\"$box\"}[1m])", expressions, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_Dashboard_PicksTheExperimentFromPostgres()
    {
        var dashboard = Dashboards.Load(Path.Combine(DeployFiles.DashboardsDirectory, "fleet-experiment.json"));
        var variable = Assert.Single(dashboard["templating"]!["list"]!.AsArray().OfType<JsonObject>());

        Assert.Equal("experiment", (string?)variable["name"]);
        Assert.Equal("postgres", (string?)variable["datasource"]?["uid"]);
        Assert.Equal("SELECT experiment_id FROM experiments ORDER BY created_at DESC", (string?)variable["query"]);
        Assert.All(
            Dashboards.Queries(Path.Combine(DeployFiles.DashboardsDirectory, "fleet-experiment.json")).Where(q => !q.Location.StartsWith("variable", StringComparison.Ordinal)),
            q => Assert.Contains("${experiment:sqlstring}", q.Text, StringComparison.Ordinal));
    }
}
