using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Deploy.Tests.Support;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// The silo's /metrics with a simulated box streaming in real time: promtool accepts it, every
/// metric the dashboards and alerts use is there, and a real Prometheus scraping it with the
/// repository's configuration sees power for every socket and energy that matches PostgreSQL.
/// </summary>
public sealed class MetricsTests : IClassFixture<PostgresFixture>, IDisposable
{
    /// <summary>
    /// Counters created on their first event (a timeout, a dropped message, a storage error, a
    /// refused batch): a healthy cluster never exports them, so the dashboards show them as
    /// "no data" until something goes wrong. Orleans' are spelled as in its InstrumentNames.
    /// </summary>
    private static readonly HashSet<string> EventOnlyCounters =
    [
        "orleans_app_requests_canceled_total", "orleans_app_requests_timedout_total", "orleans_catalog_activation_destroyed_total",
        "orleans_messaging_pings_reply_missed_total", "orleans_messaging_sent_dropped_total", "orleans_messaging_sent_failed_total",
        "orleans_scheduler_long_running_turns_total", "orleans_storage_write_errors_total",

        // Fleet's own counter of batches refused for good: a healthy box never has one.
        "fleet_batches_rejected_total",
    ];

    private readonly PostgresFixture _postgres;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-metrics-").FullName;

    public MetricsTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Metrics_SimulatedBoxWithRealPrometheus_PromtoolAcceptsAndEnergyMatchesPostgres()
    {
        using var silo = new SiloProcess(_postgres.DataSource.ConnectionString);
        await silo.StartAsync();
        for (var socket = 1; socket <= 3; socket++)
        {
            var response = await silo.PutJsonAsync($"/api/machines/sim-m{socket}/sockets", new { sockets = new[] { $"sim-p:{socket}" }, from = "2020-01-01T00:00:00Z", force = true });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // An experiment, so grain state is written and Orleans' storage instruments exist, as in any lab.
        var experiment = await silo.Http.PostAsJsonAsync("/api/experiments", new { name = "metrics", machines = new[] { "sim-m1" } });
        Assert.True(experiment.IsSuccessStatusCode, await experiment.Content.ReadAsStringAsync());

        using var agent = new ManagedProcess(Binaries.Agent, [
            "--simulate", "--box", "sim-p", "--gateway-port", silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-id", "e2e", "--spool", Path.Combine(_directory, "spool"), "--report-every", "1",
        ], new Dictionary<string, string>());
        var started = DateTimeOffset.UtcNow;
        using var prometheus = StartPrometheus(silo.HttpPort, out var prometheusPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}") };
        // Fifteen seconds of frames stored, however long a busy machine takes to get there.
        await StoredFrames.WaitForAsync(_postgres.DataSource, "sim-p", 1500, () => agent.Output + "\n" + silo.Output, TimeSpan.FromMinutes(2));
        Assert.False(agent.HasExited, agent.Output);

        // promtool: the whole scrape parses; Fleet's own metrics also pass its lint (Orleans and
        // the runtime report milliseconds and counts that its lint dislikes, which is not ours to rename).
        var scrape = await silo.Http.GetStringAsync("/metrics");
        Assert.NotEqual(1, Promtool(scrape).ExitCode);
        var fleetOnly = string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith("fleet_", StringComparison.Ordinal) || l.StartsWith("# HELP fleet_", StringComparison.Ordinal) || l.StartsWith("# TYPE fleet_", StringComparison.Ordinal))) + "\n";
        var lint = Promtool(fleetOnly);
        Assert.True(lint.ExitCode == 0, lint.Output);

        // Every metric the dashboards and alert rules read is in the scrape.
        var exported = scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(['{', ' '], 2)[0]).ToHashSet(StringComparer.Ordinal);
        var used = Dashboards.AllQueries().Where(q => q.DatasourceUid == "prometheus")
            .SelectMany(q => q.Location.StartsWith("variable", StringComparison.Ordinal) ? PromQl.VariableQueryMetricNames(q.Text) : PromQl.MetricNames(q.Text))
            .Concat(YamlText.Values(File.ReadAllText(DeployFiles.AlertRules), "expr").SelectMany(PromQl.MetricNames))
            .Where(name => name != "up")
            .ToHashSet(StringComparer.Ordinal);
        Assert.Empty(used.Where(name => !exported.Contains(name) && !EventOnlyCounters.Contains(name)).Order(StringComparer.Ordinal));

        // Prometheus, configured from deploy/prometheus/prometheus.yml, sees every socket.
        var power = await QueryAsync(http, "fleet_socket_power_watts{box=\"sim-p\"}");
        Assert.Equal(["1", "2", "3", "4", "5", "6"], power.Select(r => r.GetProperty("metric").GetProperty("socket").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains(power, r => r.GetProperty("metric").GetProperty("machine").GetString() == "sim-m1");

        // The energy counter Prometheus scraped equals the exact energy in PostgreSQL. Both only
        // grow as batches are stored (by arrival, not by frame time), so compare them once the
        // agent is stopped and nothing more arrives: a window by frame time would not line up
        // with a counter fed by arrival on a machine where batches arrive late and in bursts.
        agent.Kill();
        var window = $"from={Uri.EscapeDataString(started.AddMinutes(-10).ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture))}";
        var dbJoules = (await silo.GetJsonAsync($"/api/energy?box=sim-p&socket=1&{window}")).GetProperty("joules").GetDouble();
        Assert.True(dbJoules > 1000, $"only {dbJoules} J stored for 15 s of a 95 W socket");
        var promJoules = double.NaN;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(Math.Abs(promJoules - dbJoules) <= 0.005 * dbJoules))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Prometheus {promJoules} J vs PostgreSQL {dbJoules} J");
            var counter = await QueryAsync(http, "sum(fleet_socket_energy_joules_total{box=\"sim-p\",socket=\"1\"})");
            promJoules = counter.Count == 1 ? double.Parse(counter[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) : double.NaN;
            await Task.Delay(500);
        }
    }

    private ManagedProcessHandle StartPrometheus(int siloPort, out int port)
    {
        // The repository's configuration, pointed at this silo and scraped every second.
        port = FreePorts.Next();
        var config = File.ReadAllText(DeployFiles.PrometheusConfig)
            .Replace("silo-1:5080", $"127.0.0.1:{siloPort}", StringComparison.Ordinal)
            .Replace("silo-2:5080", $"127.0.0.1:{siloPort}", StringComparison.Ordinal)
            .Replace("scrape_interval: 5s", "scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("alerts.yml", DeployFiles.AlertRules, StringComparison.Ordinal);
        var configPath = Path.Combine(_directory, "prometheus.yml");
        File.WriteAllText(configPath, config);
        var start = new ProcessStartInfo("prometheus") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { $"--config.file={configPath}", $"--storage.tsdb.path={Path.Combine(_directory, "tsdb")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        return new ManagedProcessHandle(Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start (apt-get install prometheus)"));
    }

    private static async Task<List<JsonElement>> QueryAsync(HttpClient http, string query)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var body = await http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
                var result = body.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone()).ToList();
                if (result.Count > 0 || DateTime.UtcNow > deadline)
                {
                    return result;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Prometheus still starting.
            }

            await Task.Delay(500);
        }
    }

    private static (int ExitCode, string Output) Promtool(string metrics)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        process.StandardInput.Write(metrics);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, errors + output.Result);
    }

    private sealed class ManagedProcessHandle(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
