using Fleet.Deploy.Tests.Support;

namespace Fleet.Deploy.Tests;

/// <summary>
/// Every metric the dashboards and alert rules read is one the silo publishes (the agreed list, until
/// a test compares against a real scrape), so no panel stays empty because of a typo.
/// </summary>
public sealed class MetricNameTests
{
    [Fact]
    public void MetricNames_ExpressionWithFunctionsLabelsAndGrouping_ReturnsOnlyMetrics()
    {
        var names = PromQl.MetricNames("""
            sum by (box, reason) (rate(fleet_frames_invalid_total{box=~"$box", reason!="no_data"}[$__rate_interval]))
              / on (box) group_left (machine) max without (instance) (fleet_frames_total offset 5m) > bool 0.01
            or histogram_quantile(0.95, sum by (le) (rate(fleet_ingest_lag_seconds_bucket[5m]))) * 1e3
            and time() - fleet_last_frame_timestamp_seconds{box="a{b}"} > 30
            """);

        Assert.Equal(["fleet_frames_invalid_total", "fleet_frames_total", "fleet_ingest_lag_seconds_bucket", "fleet_last_frame_timestamp_seconds"], names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("label_values(fleet_frames_total, box)", "fleet_frames_total")]
    [InlineData("label_values(fleet_frames_total{job=\"fleet-silo\"}, box)", "fleet_frames_total")]
    [InlineData("label_values(box)", "")]
    [InlineData("query_result(topk(5, fleet_machine_power_watts))", "fleet_machine_power_watts")]
    public void VariableQueryMetricNames_GrafanaVariableQueries_ReturnTheMetricRead(string query, string expected)
    {
        Assert.Equal(expected.Length == 0 ? [] : [expected], PromQl.VariableQueryMetricNames(query));
    }

    [Theory]
    [InlineData("fleet_socket_power_watts", true)]
    [InlineData("fleet_socket_energy_joules_total", true)]
    [InlineData("fleet_ingest_lag_seconds_bucket", true)]
    [InlineData("fleet_ingest_lag_seconds_count", true)]
    [InlineData("orleans_catalog_activations", true)]
    [InlineData("dotnet_gc_collections_total", true)]
    [InlineData("up", true)]
    [InlineData("fleet_socket_power_watt", false)] // typo
    [InlineData("fleet_socket_energy_joules", false)] // the exporter adds _total to counters
    [InlineData("fleet_ingest_lag_seconds", false)] // a histogram has only _bucket/_sum/_count series
    [InlineData("fleet_experiment_joules_total", false)]
    [InlineData("orleans_", false)]
    public void IsKnown_Name_MatchesTheAgreedList(string name, bool known)
    {
        Assert.Equal(known, KnownMetrics.IsKnown(name));
    }

    [Fact]
    public void Dashboards_EveryPrometheusQuery_ReadsOnlyKnownMetrics()
    {
        var prometheus = Dashboards.AllQueries().Where(q => q.DatasourceUid == "prometheus").ToList();
        var used = prometheus.SelectMany(q => (q.Location.StartsWith("variable", StringComparison.Ordinal) ? PromQl.VariableQueryMetricNames(q.Text) : PromQl.MetricNames(q.Text))
            .Select(name => (Query: q, Name: name))).ToList();

        Assert.True(prometheus.Count >= 25, $"only {prometheus.Count} Prometheus queries");
        Assert.All(prometheus, q => Assert.True(
            (q.Location.StartsWith("variable", StringComparison.Ordinal) ? PromQl.VariableQueryMetricNames(q.Text) : PromQl.MetricNames(q.Text)).Count > 0,
            $"{q}: no metric found in '{q.Text}'"));
        Assert.All(used, u => Assert.True(KnownMetrics.IsKnown(u.Name), $"{u.Query}: unknown metric '{u.Name}' in '{u.Query.Text}'"));
    }

    [Fact]
    public void AlertRules_EveryExpression_ReadsOnlyKnownMetrics()
    {
        var expressions = YamlText.Values(File.ReadAllText(DeployFiles.AlertRules), "expr");

        Assert.Equal(5, expressions.Count);
        Assert.All(expressions, expression =>
        {
            var names = PromQl.MetricNames(expression);
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(KnownMetrics.IsKnown(name), $"unknown metric '{name}' in alert '{expression}'"));
        });
        Assert.Contains(expressions, e => e.Contains("time() - max by (box) (fleet_last_frame_timestamp_seconds) > 30", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("up{job=\"fleet-silo\"} == 0", StringComparison.Ordinal));
    }
}
