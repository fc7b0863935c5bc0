using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fleet.AgentHost.Pushing;
using Fleet.LoadGen;
using Fleet.OmegaWatt.Protocol;
using Microsoft.Extensions.Logging;
using Npgsql;

// Load generator: N virtual boxes through the real agent code into a running silo; one JSON line.
var boxes = new Option<int>("--boxes") { Description = "Virtual boxes.", DefaultValueFactory = _ => 1 };
var plugs = new Option<int>("--plugs") { Description = "Plugs per box (6 or 36).", DefaultValueFactory = _ => 6 };
var rate = new Option<string>("--rate") { Description = "real (100 frames/s per box) or max (as fast as the cluster takes them).", DefaultValueFactory = _ => "real" };
rate.AcceptOnlyFromAmong("real", "max");
var seconds = new Option<double>("--seconds") { Description = "Real rate: how long the boxes send.", DefaultValueFactory = _ => 30 };
var frames = new Option<long>("--frames") { Description = "Max rate: frames per box.", DefaultValueFactory = _ => 100_000 };
var gatewayPort = new Option<int>("--gateway-port") { Description = "The silo's gateway port (localhost clustering).", DefaultValueFactory = _ => 30000 };
var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "fleet" };
var siloPid = new Option<int?>("--silo-pid") { Description = "The silo's process id, for its CPU and memory." };
var postgres = new Option<string?>("--postgres") { Description = "The cluster's database (Npgsql connection string), for storage sizes." };
var spool = new Option<string?>("--spool") { Description = "Where the virtual agents spool (default: a temporary directory)." };
var catchUp = new Option<bool>("--catch-up") { Description = "Max rate: spool every frame first, with no cluster, then time only sending them (an agent back after being offline)." };
var baseline = new Option<bool>("--baseline") { Description = "Also write the same samples one row per sample, for size and speed ratios." };
var root = new RootCommand("Fleet load generator: virtual boxes through the agent's code into a real silo and PostgreSQL.")
{
    boxes, plugs, rate, seconds, frames, gatewayPort, clusterId, siloPid, postgres, spool, catchUp, baseline,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var count = parse.GetValue(boxes);
    var plugCount = parse.GetValue(plugs);
    var realTime = parse.GetValue(rate) == "real";
    using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
    var spoolRoot = parse.GetValue(spool) ?? Directory.CreateTempSubdirectory("fleet-loadgen-").FullName;
    var gateway = parse.GetValue(gatewayPort);
    var id = parse.GetValue(clusterId)!;
    await using var connection = new ClusterConnection(client => client.UseLocalhostClustering(gateway, serviceId: id, clusterId: id), loggers);
    await using var dataSource = parse.GetValue(postgres) is { } cs ? NpgsqlDataSource.Create(cs) : null;
    var storage = dataSource is null ? null : new StorageProbe(dataSource);

    var latency = new LatencyRecorder();
    var run = Guid.NewGuid().ToString("N")[..6];
    var virtualBoxes = Enumerable.Range(0, count)
        .Select(k => new VirtualBox($"lg-{run}-{k:D4}", plugCount, realTime, realTime ? null : parse.GetValue(frames), Path.Combine(spoolRoot, k.ToString(CultureInfo.InvariantCulture)), connection, latency, loggers))
        .ToList();
    var spooledAlready = !realTime && parse.GetValue(catchUp);
    if (spooledAlready)
    {
        await Console.Error.WriteLineAsync($"spooling {parse.GetValue(frames)} frames per box with no cluster...").ConfigureAwait(false);
        await Task.WhenAll(virtualBoxes.Select(b => Task.Run(b.SpoolOnlyAsync, CancellationToken.None))).ConfigureAwait(false);
    }

    await connection.GetMeterAsync(virtualBoxes[0].BoxId, cancellationToken).ConfigureAwait(false);

    var bytesBefore = storage is null ? 0 : await storage.FleetBytesAsync().ConfigureAwait(false);
    var silo = parse.GetValue(siloPid) is int pid ? (Pid: pid, Usage: ProcessUsage.Read(pid)) : ((int Pid, ProcessUsage Usage)?)null;
    var self = ProcessUsage.Read(Environment.ProcessId);
    var watch = Stopwatch.StartNew();
    using var stop = realTime ? new CancellationTokenSource(TimeSpan.FromSeconds(parse.GetValue(seconds))) : new CancellationTokenSource();
    await Task.WhenAll(virtualBoxes.Select(b => Task.Run(() => b.RunAsync(stop.Token, spooledAlready), CancellationToken.None))).ConfigureAwait(false);
    var elapsed = watch.Elapsed.TotalSeconds;
    var selfAfter = ProcessUsage.Read(Environment.ProcessId);
    var siloAfter = silo is { } s ? ProcessUsage.Read(s.Pid) : (ProcessUsage?)null;

    var stored = virtualBoxes.Sum(b => b.FramesAcknowledged);
    var channelSamples = stored * (FrameLayout.Phases + (2L * plugCount));
    var result = new Dictionary<string, object?>
    {
        ["boxes"] = count,
        ["plugs"] = plugCount,
        ["rate"] = realTime ? "real" : spooledAlready ? "catch-up" : "max",
        ["seconds"] = Math.Round(elapsed, 2),
        ["frames"] = stored,
        ["frames_per_second"] = Math.Round(stored / elapsed),
        ["latency_p50_seconds"] = latency.Percentile(0.50),
        ["latency_p99_seconds"] = latency.Percentile(0.99),
        ["agent_cpu_cores"] = Math.Round(selfAfter.CoreShareSince(self, elapsed), 3),
        ["agent_rss_bytes"] = selfAfter.RssBytes,
        ["silo_cpu_cores"] = siloAfter is { } after ? Math.Round(after.CoreShareSince(silo!.Value.Usage, elapsed), 3) : null,
        ["silo_rss_bytes"] = siloAfter?.RssBytes,
    };
    if (storage is not null && channelSamples > 0)
    {
        var grown = await storage.FleetBytesAsync().ConfigureAwait(false) - bytesBefore;
        result["postgres_bytes_per_channel_sample"] = Math.Round((double)grown / channelSamples, 3);
        if (parse.GetValue(baseline))
        {
            var (baselineBytes, baselineSeconds) = await storage.WriteBaselineAsync(channelSamples, plugCount).ConfigureAwait(false);
            result["baseline_bytes_per_channel_sample"] = Math.Round((double)baselineBytes / channelSamples, 3);
            result["baseline_channel_samples_per_second"] = Math.Round(channelSamples / baselineSeconds);
            result["size_ratio_to_baseline"] = Math.Round((double)grown / baselineBytes, 3);
            result["speed_ratio_to_baseline"] = Math.Round(channelSamples / elapsed / (channelSamples / baselineSeconds), 3);
        }
    }

    Console.WriteLine(JsonSerializer.Serialize(result));
    if (parse.GetValue(spool) is null)
    {
        Directory.Delete(spoolRoot, recursive: true);
    }

    return 0;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
