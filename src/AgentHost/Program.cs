using System.CommandLine;
using System.Globalization;
using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var serial = new Option<string[]>("--serial")
{
    Description = "Read a box on this serial port (921600 8N1), e.g. /dev/ttyUSB0. Repeat as PORT=BOX to serve several boxes from one agent.",
    HelpName = "PORT[=BOX]",
    AllowMultipleArgumentsPerToken = false,
};
var replay = new Option<FileInfo?>("--replay") { Description = "Replay a raw capture file.", HelpName = "FILE" };
var rate = new Option<string>("--rate") { Description = "Replay pace: max (as fast as possible) or realtime (10 ms per frame).", DefaultValueFactory = _ => "max" };
rate.AcceptOnlyFromAmong("max", "realtime");
var stdin = new Option<bool>("--stdin") { Description = "Read raw bytes from standard input." };
var simulate = new Option<bool>("--simulate") { Description = "Read a simulated box (3 machines on sockets 1-3) in real time." };
var box = new Option<string?>("--box") { Description = "Send frames to the cluster as this box id (without it the agent only reads and reports).", HelpName = "BOX" };
var start = new Option<string?>("--start") { Description = "UTC time of the first frame (ISO 8601) for replays; default: timestamps from the host clock model.", HelpName = "ISO8601" };
var spoolDirectory = new Option<string?>("--spool") { Description = "Spool directory (default: $FLEET_DATA or ~/.local/share/fleet, then spool/BOX).", HelpName = "DIR" };
var spoolMegabytes = new Option<long>("--spool-max-mb") { Description = "Disk budget of the spool in MiB.", DefaultValueFactory = _ => 1024 };
var clustering = new Option<string>("--clustering") { Description = "How to find the cluster: localhost (a gateway on this host) or adonet (membership table in PostgreSQL; connection string from ConnectionStrings__Fleet).", DefaultValueFactory = _ => "localhost" };
clustering.AcceptOnlyFromAmong("localhost", "adonet");
var gatewayPort = new Option<int>("--gateway-port") { Description = "Gateway port of the local silo (localhost clustering).", DefaultValueFactory = _ => 30000 };
var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id.", DefaultValueFactory = _ => "fleet" };
var reportSeconds = new Option<double>("--report-every") { Description = "Seconds between status lines.", DefaultValueFactory = _ => 5.0, HelpName = "SECONDS" };

var root = new RootCommand("""
    Fleet agent: reads an OmegaWatt box, timestamps and spools its frames, and pushes them to the cluster.

    Exactly one source: --serial PORT, --replay FILE [--rate max|realtime], --stdin or --simulate.
    With --box BOX, frames go to the cluster (spooled on disk first, so nothing is lost while it is down);
    without it, the agent only reads and reports.
    Examples:
      Fleet.AgentHost --serial /dev/ttyUSB0 --box omegawatt-a
      Fleet.AgentHost --replay capture.bin --box omegawatt-a --start 2026-11-25T10:00:00Z --rate max
    """)
{
    serial, replay, rate, stdin, simulate, box, start, spoolDirectory, spoolMegabytes, clustering, gatewayPort, clusterId, reportSeconds,
};
root.Validators.Add(result =>
{
    var ports = result.GetValue(serial) ?? [];
    var chosen = new[] { ports.Length > 0, result.GetValue(replay) is not null, result.GetValue(stdin), result.GetValue(simulate) }.Count(x => x);
    if (chosen != 1)
    {
        result.AddError("choose exactly one source: --serial (repeatable), --replay, --stdin or --simulate");
    }

    if (ports.Length > 1 && ports.Any(p => !p.Contains('=', StringComparison.Ordinal)))
    {
        result.AddError("with several --serial ports, name each one's box: --serial /dev/ttyUSB0=omegawatt-a --serial /dev/ttyUSB1=omegawatt-b");
    }

    foreach (var portBox in ports.Where(p => p.Contains('=', StringComparison.Ordinal)).Select(p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))
    {
        if (!Fleet.Grains.Abstractions.Naming.IsValidId(portBox))
        {
            result.AddError(Fleet.Grains.Abstractions.Naming.InvalidId(portBox, "box id"));
        }
    }

    if (result.GetValue(replay) is { Exists: false } missing)
    {
        result.AddError($"no such file: {missing.FullName}");
    }

    if (result.GetValue(box) is { } id && !Fleet.Grains.Abstractions.Naming.IsValidId(id))
    {
        result.AddError(Fleet.Grains.Abstractions.Naming.InvalidId(id, "box id"));
    }

    if (result.GetValue(start) is { } text && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
    {
        result.AddError($"--start '{text}' is not an ISO 8601 time (example: 2026-11-25T10:00:00Z)");
    }
});
reportSeconds.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() <= 0)
    {
        result.AddError("--report-every must be a positive number of seconds");
    }
});
spoolMegabytes.Validators.Add(result =>
{
    if (result.GetValueOrDefault<long>() <= 0)
    {
        result.AddError("--spool-max-mb must be positive");
    }
});
root.SetAction(async (parse, cancellationToken) =>
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; o.UseUtcTimestamp = true; });
    // The pusher reports an unreachable cluster once; Orleans and the inner client host would log every attempt.
    builder.Logging.AddFilter("Orleans", LogLevel.Warning);
    builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    var file = parse.GetValue(replay);
    var interval = TimeSpan.FromSeconds(parse.GetValue(reportSeconds));

    // One (source, box) pair per box this agent serves: several serial ports, or one other source.
    var ports = (parse.GetValue(serial) ?? []).Select(p => p.Split('=', 2)).Select(p => (Port: p[0], Box: p.Length == 2 ? p[1] : parse.GetValue(box))).ToList();
    Func<IServiceProvider, IByteSource> Source(string? port) => services =>
        port is not null ? new SerialPortSource(new SerialPortOptions { PortName = port }, services.GetRequiredService<ILogger<SerialPortSource>>())
        : file is not null ? (parse.GetValue(rate) == "realtime" ? new RealTimeReplaySource(file.FullName) : StreamSource.File(file.FullName))
        : parse.GetValue(stdin) ? StreamSource.StandardInput()
        : new SimulatedBoxSource(Fleet.OmegaWatt.Simulation.DemoBox.Options, realTime: true);
    var pairs = ports.Count > 0 ? ports.Select(p => (Source: Source(p.Port), p.Box)).ToList() : [(Source: Source(null), Box: parse.GetValue(box))];

    if (pairs.All(p => p.Box is not null))
    {
        var dataDirectory = Environment.GetEnvironmentVariable("FLEET_DATA")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "fleet");
        var spoolRoot = parse.GetValue(spoolDirectory);
        var id = parse.GetValue(clusterId)!;
        var gateway = parse.GetValue(gatewayPort);
        var adoNet = parse.GetValue(clustering) == "adonet";
        var connectionString = builder.Configuration.GetConnectionString("Fleet");
        if (adoNet && string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("Fleet.AgentHost: --clustering adonet needs ConnectionStrings__Fleet (the cluster's PostgreSQL)").ConfigureAwait(false);
            return 2;
        }

        builder.Services.AddSingleton(services => new ClusterConnection(
            client =>
            {
                if (adoNet)
                {
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = connectionString;
                    });
                    client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                    {
                        o.ClusterId = id;
                        o.ServiceId = id;
                    });
                }
                else
                {
                    client.UseLocalhostClustering(gateway, serviceId: id, clusterId: id);
                }
            },
            services.GetRequiredService<ILoggerFactory>()));
        foreach (var (source, boxId) in pairs)
        {
            var options = new AgentOptions
            {
                BoxId = boxId!,
                Start = parse.GetValue(start) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null,
                // One spool per box, so a silent box never holds back another's batches.
                SpoolDirectory = spoolRoot is null ? Path.Combine(dataDirectory, "spool", boxId!) : pairs.Count == 1 ? spoolRoot : Path.Combine(spoolRoot, boxId!),
                SpoolMaxBytes = parse.GetValue(spoolMegabytes) * 1024 * 1024,
                ReportInterval = interval,
            };
            builder.Services.AddSingleton<IHostedService>(services => new ClusterAgentWorker(
                options,
                source(services),
                services.GetRequiredService<ClusterConnection>(),
                services.GetRequiredService<IHostApplicationLifetime>(),
                services.GetRequiredService<ILoggerFactory>()));
        }
    }
    else if (pairs.Count == 1)
    {
        builder.Services.AddHostedService(services => new AgentWorker(
            pairs[0].Source(services),
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILogger<AgentWorker>>(),
            interval));
    }
    else
    {
        await Console.Error.WriteLineAsync("Fleet.AgentHost: name the box of every --serial port (PORT=BOX) or none").ConfigureAwait(false);
        return 2;
    }

    using var host = builder.Build();
    await host.RunAsync(cancellationToken).ConfigureAwait(false);
    return Environment.ExitCode;
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line per problem, not a page of help: the help is one flag away.
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"Fleet.AgentHost: {error.Message}").ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync("Try 'Fleet.AgentHost --help'.").ConfigureAwait(false);
    return 2;
}

return await parsed.InvokeAsync().ConfigureAwait(false);
