using Fleet.Deploy.Tests.Support;

namespace Fleet.Deploy.Tests;

/// <summary>deploy/prometheus: the scrape configuration and the alert rules, checked and unit-tested by promtool.</summary>
public sealed class PrometheusTests
{
    [Fact]
    public async Task CheckConfig_RepositoryConfig_IsValidAndLoadsTheRules()
    {
        // promtool checks that the files the config names exist: the lab's CA and the metrics token,
        // which compose mounts and writes in the container. Here they are stand-ins at the same places.
        var directory = Directory.CreateTempSubdirectory("fleet-prometheus-");
        try
        {
            var config = await File.ReadAllTextAsync(DeployFiles.PrometheusConfig);
            var authority = Path.Combine(directory.FullName, "ca.crt");
            var token = Path.Combine(directory.FullName, "metrics-token");
            await File.WriteAllTextAsync(authority, "the lab's CA");
            await File.WriteAllTextAsync(token, "a metrics token");
            Assert.Contains("ca_file: /etc/fleet/certs/ca.crt", config, StringComparison.Ordinal);
            Assert.Contains("credentials_file: /prometheus/metrics-token", config, StringComparison.Ordinal);
            await File.WriteAllTextAsync(
                Path.Combine(directory.FullName, "prometheus.yml"),
                config.Replace("/etc/fleet/certs/ca.crt", authority, StringComparison.Ordinal).Replace("/prometheus/metrics-token", token, StringComparison.Ordinal));
            File.Copy(DeployFiles.AlertRules, Path.Combine(directory.FullName, "alerts.yml"));

            var result = await Tool.RunAsync("promtool", ["check", "config", Path.Combine(directory.FullName, "prometheus.yml")]);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("SUCCESS: 1 rule files found", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CheckRules_AlertRules_AreValid()
    {
        var result = await Tool.RunAsync("promtool", ["check", "rules", DeployFiles.AlertRules]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS: 5 rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestRules_SyntheticSeries_AlertsFireOnlyOnTheFaultySeries()
    {
        var result = await Tool.RunAsync("promtool", ["test", "rules", DeployFiles.AlertRuleTests], workingDirectory: DeployFiles.PrometheusDirectory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("> 30", "> 300")] // a box silent for 60 s would no longer fire
    [InlineData("> 0.01", "> 0.05")] // 1.96 % of lost frames would no longer fire
    [InlineData("> 0.01", "> 0.001")] // 0.5 % of lost frames would now fire
    public async Task TestRules_ThresholdChanged_UnitTestsFail(string original, string changed)
    {
        // The rule unit tests pin the thresholds: the same tests on mutated rules must fail.
        var directory = Directory.CreateTempSubdirectory("fleet-alerts-");
        try
        {
            var rules = await File.ReadAllTextAsync(DeployFiles.AlertRules);
            Assert.Contains(original, rules, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "alerts.yml"), rules.Replace(original, changed, StringComparison.Ordinal));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "tests"));
            File.Copy(DeployFiles.AlertRuleTests, Path.Combine(directory.FullName, "tests", "alerts.test.yml"));

            var result = await Tool.RunAsync("promtool", ["test", "rules", Path.Combine("tests", "alerts.test.yml")], workingDirectory: directory.FullName);

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("FAILED", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void AlertRules_EveryAlert_HasSeveritySummaryAndDescription()
    {
        var alerts = File.ReadAllText(DeployFiles.AlertRules).Split("- alert:", StringSplitOptions.None).Skip(1).ToList();

        Assert.Equal(["FleetBoxSilent", "FleetMissingFrames", "FleetAgentSpoolGrowing", "FleetBatchesRejected", "FleetSiloDown"], alerts.Select(a => a.Split('\n')[0].Trim()));
        Assert.All(alerts, alert =>
        {
            Assert.Single(YamlText.Values(alert, "severity"));
            Assert.False(string.IsNullOrWhiteSpace(YamlText.Values(alert, "summary").SingleOrDefault()), alert);
            Assert.False(string.IsNullOrWhiteSpace(YamlText.Values(alert, "description").SingleOrDefault()), alert);
        });
    }

    [Fact]
    public async Task PrometheusConfig_ScrapeTargets_AreTheComposeSilosHttpPorts()
    {
        var config = await File.ReadAllTextAsync(DeployFiles.PrometheusConfig);
        var compose = await ComposeTests.ConfigAsync(ComposeTests.AllSecrets());
        Assert.True(compose.ExitCode == 0, compose.ToString());

        var targets = YamlText.ListItems(config, "scrape_configs").SelectMany(job => job.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("- ", StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal) && !line.EndsWith(':') && !line.Contains(": ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();

        Assert.Equal(["silo-1:5080", "silo-2:5080"], targets);
        Assert.Equal(["fleet-silo"], YamlText.Values(config, "job_name"));
        Assert.Equal("5s", YamlText.Values(config, "scrape_interval")[^1]);
        foreach (var service in targets.Select(t => t.Split(':')[0]))
        {
            // Each target is a compose service whose API listens on 5080 inside the network.
            Assert.Contains($"  {service}:", compose.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(2, compose.StandardOutput.Split("ASPNETCORE_URLS: https://0.0.0.0:5080").Length - 1);
    }
}
