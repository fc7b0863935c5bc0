using System.CommandLine;
using System.Globalization;
using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var serial = new Option<string?>("--serial") { Description = "Read the box on this serial port (921600 8N1), e.g. /dev/ttyUSB0.", HelpName = "PORT" };
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
    var chosen = new[] { result.GetValue(serial) is not null, result.GetValue(replay) is not null, result.GetValue(stdin), result.GetValue(simulate) }.Count(x => x);
    if (chosen != 1)
    {
        result.AddError("choose exactly one source: --serial, --replay, --stdin or --simulate");
    }

    if (result.GetValue(replay) is { Exists: false } missing)
    {
        result.AddError($"no such file: {missing.FullName}");
    }

    if (result.GetValue(box) is { } id && !Fleet.Grains.Abstractions.Naming.IsValidId(id))
    {
        result.AddError($"'{id}' is not a valid box id (letters, digits, '.', '_', '-'; at most 64)");
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
    var port = parse.GetValue(serial);
    var file = parse.GetValue(replay);
    builder.Services.AddSingleton<IByteSource>(services =>
        port is not null ? new SerialPortSource(new SerialPortOptions { PortName = port }, services.GetRequiredService<ILogger<SerialPortSource>>())
        : file is not null ? (parse.GetValue(rate) == "realtime" ? new RealTimeReplaySource(file.FullName) : StreamSource.File(file.FullName))
        : parse.GetValue(stdin) ? StreamSource.StandardInput()
        : new SimulatedBoxSource(SimulatedBoxSource.DemoBox, realTime: true));
    var interval = TimeSpan.FromSeconds(parse.GetValue(reportSeconds));
    if (parse.GetValue(box) is { } boxId)
    {
        var dataDirectory = Environment.GetEnvironmentVariable("FLEET_DATA")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "fleet");
        var options = new AgentOptions
        {
            BoxId = boxId,
            Start = parse.GetValue(start) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null,
            SpoolDirectory = parse.GetValue(spoolDirectory) ?? Path.Combine(dataDirectory, "spool", boxId),
            SpoolMaxBytes = parse.GetValue(spoolMegabytes) * 1024 * 1024,
            ReportInterval = interval,
        };
        var id = parse.GetValue(clusterId)!;
        var gateway = parse.GetValue(gatewayPort);
        var adoNet = parse.GetValue(clustering) == "adonet";
        var connectionString = builder.Configuration.GetConnectionString("Fleet");
        if (adoNet && string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("Fleet.AgentHost: --clustering adonet needs ConnectionStrings__Fleet (the cluster's PostgreSQL)").ConfigureAwait(false);
            return 2;
        }

        builder.Services.AddSingleton(options);
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
        builder.Services.AddHostedService<ClusterAgentWorker>();
    }
    else
    {
        builder.Services.AddHostedService(services => new AgentWorker(
            services.GetRequiredService<IByteSource>(),
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILogger<AgentWorker>>(),
            interval));
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
