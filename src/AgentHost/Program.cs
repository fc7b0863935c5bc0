using System.CommandLine;
using System.Globalization;
using Fleet.AgentHost.Hosting;
using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Sources;
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
var plugs = new Option<int>("--plugs") { Description = "Plugs of the simulated box: 6 to 48, a multiple of 6.", DefaultValueFactory = _ => SimulatorWiring.DefaultPlugs, HelpName = "N" };
var wire = new Option<string[]>("--wire")
{
    Description = "Wire a socket of the simulated box to a runner's --load-signal file: it draws IDLE_WATTS (default 90) + WATTS_PER_CORE (default 60) x the cores the file reports. Repeatable.",
    HelpName = "SOCKET=FILE[:IDLE_WATTS[:WATTS_PER_CORE]]",
    AllowMultipleArgumentsPerToken = false,
};
var box = new Option<string?>("--box") { Description = "Send frames to the cluster as this box id (without it the agent only reads and reports).", HelpName = "BOX" };
var start = new Option<string?>("--start") { Description = "UTC time of the first frame (ISO 8601) for replays; default: timestamps from the host clock model.", HelpName = "ISO8601" };
var spoolDirectory = new Option<string?>("--spool") { Description = "Spool directory (default: $FLEET_DATA or ~/.local/share/fleet, then spool/BOX).", HelpName = "DIR" };
var spoolMegabytes = new Option<long>("--spool-max-mb") { Description = "Disk budget of the spool in MiB.", DefaultValueFactory = _ => 1024 };
var gateways = new Option<string[]>("--gateway")
{
    Description = "A gateway of the cluster as HOST:PORT (a silo's Fleet__GatewayPort); repeat for every silo. Default: 127.0.0.1 on --gateway-port.",
    HelpName = "HOST:PORT",
    AllowMultipleArgumentsPerToken = false,
};
var gatewaysFrom = new Option<string[]>("--gateways-from")
{
    Description = "Ask the silos' HTTP API for the gateways instead (GET URL/api/gateways, again every 30 s); repeat for several silos.",
    HelpName = "URL",
    AllowMultipleArgumentsPerToken = false,
};
var gatewayPort = new Option<int>("--gateway-port") { Description = "Gateway port of a silo on this host, when no --gateway is given.", DefaultValueFactory = _ => 30000 };
var tlsCertificate = new Option<FileInfo?>("--tls-cert") { Description = "This host's certificate from `fleet certs issue --agent HOST` (PEM); with --tls-key and --tls-ca, the cluster is reached over mutual TLS.", HelpName = "FILE" };
var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "The certificate's private key (PEM).", HelpName = "FILE" };
var tlsAuthority = new Option<FileInfo?>("--tls-ca") { Description = "The lab's CA certificate (ca.crt): only silos it signed are trusted.", HelpName = "FILE" };
var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id.", DefaultValueFactory = _ => "fleet" };
var runner = new Option<bool>("--runner") { Description = "Run as the runner of a measured machine (--machine): run the experiments the cluster submits to it, report their output, marks and component energy." };
var machine = new Option<string?>("--machine") { Description = "With --runner: the machine this host is, as the cluster names it (fleet machines list).", HelpName = "MACHINE" };
var loadSignal = new Option<string?>("--load-signal") { Description = "With --runner: write the CPU cores this runner and its commands use to FILE every 100 ms (what a simulated box's --wire SOCKET=FILE draws).", HelpName = "FILE" };
var raplRoot = new Option<string>("--rapl-root") { Description = "With --runner: where /sys/class/powercap is looked for (a fake root for tests).", DefaultValueFactory = _ => "/", HelpName = "DIR" };
var nvidiaSmiPeriod = new Option<double>("--nvidia-smi-period") { Description = "With --runner: milliseconds between nvidia-smi power.draw.instant samples when NVML's energy counter is not available.", DefaultValueFactory = _ => 100, HelpName = "MS" };
var loadThreads = new Option<int>("--load-threads") { Description = "With --runner: threads spinning in the on slots of a socket identification.", DefaultValueFactory = _ => 1, HelpName = "N" };
var reportSeconds = new Option<double>("--report-every") { Description = "Seconds between status lines.", DefaultValueFactory = _ => 5.0, HelpName = "SECONDS" };

var root = new RootCommand("""
    Fleet agent: reads an OmegaWatt box, timestamps and spools its frames, and pushes them to the cluster.

    Exactly one source: --serial PORT, --replay FILE [--rate max|realtime], --stdin or --simulate;
    or, on a measured machine, --runner --machine M (the runner role: no box, it runs submitted experiments).
    With --box BOX, frames go to the cluster (spooled on disk first, so nothing is lost while it is down);
    without it, the agent only reads and reports.
    Examples:
      Fleet.AgentHost --serial /dev/ttyUSB0 --box omegawatt-a
      Fleet.AgentHost --replay capture.bin --box omegawatt-a --start 2026-11-25T10:00:00Z --rate max
      Fleet.AgentHost --serial /dev/ttyUSB0=omegawatt-a --gateway silo-1.lab:30000 --gateway silo-2.lab:30000 \
          --tls-cert agent-usb-host-3.crt --tls-key agent-usb-host-3.key --tls-ca ca.crt
      Fleet.AgentHost --serial /dev/ttyUSB0=omegawatt-a --gateways-from https://silo-1.lab:5080 --tls-cert … --tls-key … --tls-ca ca.crt
      Fleet.AgentHost --runner --machine srv-1 --gateway silo-1.lab:30000 --tls-cert srv-1.crt --tls-key srv-1.key --tls-ca ca.crt
    The agent needs no database credentials: it reaches the cluster through the gateways only.
    Without --tls-* (development) it connects only to gateways on this host.
    """)
{
    serial, replay, rate, stdin, simulate, plugs, wire, box, start, spoolDirectory, spoolMegabytes, gateways, gatewaysFrom, gatewayPort, clusterId, tlsCertificate, tlsKey, tlsAuthority, reportSeconds,
    runner, machine, loadSignal, raplRoot, nvidiaSmiPeriod, loadThreads,
};
root.Validators.Add(result =>
{
    var ports = result.GetValue(serial) ?? [];
    var chosen = new[] { ports.Length > 0, result.GetValue(replay) is not null, result.GetValue(stdin), result.GetValue(simulate) }.Count(x => x);
    if (result.GetValue(runner))
    {
        if (chosen != 0 || result.GetValue(box) is not null)
        {
            result.AddError("--runner reads no box: give it --machine M, not a source or --box (run a separate agent for the box)");
        }

        if (result.GetValue(machine) is not { } name)
        {
            result.AddError("--runner needs --machine M: the machine this host is, as the cluster names it");
        }
        else if (!Fleet.Grains.Abstractions.Naming.IsValidId(name))
        {
            result.AddError(Fleet.Grains.Abstractions.Naming.InvalidId(name, "machine name"));
        }
    }
    else if (result.GetValue(machine) is not null || result.GetValue(loadSignal) is not null)
    {
        result.AddError("--machine and --load-signal are for the runner role: add --runner");
    }

    else if (chosen != 1)
    {
        result.AddError("choose exactly one source: --serial (repeatable), --replay, --stdin or --simulate (or --runner --machine M)");
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

    // Defaults are not applied yet when the root validates: an absent --plugs reads as 0 here.
    var plugsGiven = result.GetResult(plugs) is { Implicit: false };
    var wires = result.GetValue(wire) ?? [];
    if (!result.GetValue(simulate) && (wires.Length > 0 || plugsGiven))
    {
        result.AddError("--plugs and --wire shape the simulated box: use them with --simulate");
    }

    foreach (var problem in SimulatorWiring.Parse(plugsGiven ? result.GetValue(plugs) : SimulatorWiring.DefaultPlugs, wires).Errors)
    {
        result.AddError(problem);
    }

    if (result.GetValue(replay) is { Exists: false } missing)
    {
        result.AddError($"no such file: {missing.FullName}");
    }

    if (result.GetValue(box) is { } id && !Fleet.Grains.Abstractions.Naming.IsValidId(id))
    {
        result.AddError(Fleet.Grains.Abstractions.Naming.InvalidId(id, "box id"));
    }

    var tlsFiles = new[] { result.GetValue(tlsCertificate), result.GetValue(tlsKey), result.GetValue(tlsAuthority) };
    if (tlsFiles.Any(f => f is not null) && tlsFiles.Any(f => f is null))
    {
        result.AddError("give --tls-cert, --tls-key and --tls-ca together (fleet certs issue --agent HOST makes the first two; ca.crt is the lab's)");
    }

    foreach (var gateway in result.GetValue(gateways) ?? [])
    {
        if (!GatewayAddress.TryParse(gateway, out var parsed))
        {
            result.AddError($"--gateway '{gateway}' is not HOST:PORT (e.g. silo-1.lab:30000)");
        }
        else if (tlsFiles.All(f => f is null) && !parsed.IsLoopback)
        {
            result.AddError($"--gateway '{gateway}' is not on this host: without --tls-cert/--tls-key/--tls-ca (development) the agent connects only to loopback gateways");
        }
    }

    var urls = result.GetValue(gatewaysFrom) ?? [];
    if (urls.Length > 0 && (result.GetValue(gateways) ?? []).Length > 0)
    {
        result.AddError("give --gateway HOST:PORT or --gateways-from URL, not both");
    }

    foreach (var url in urls)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var silo) || (silo.Scheme != Uri.UriSchemeHttp && silo.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"--gateways-from '{url}' is not the http(s) URL of a silo's API");
        }
        else if (tlsFiles.All(f => f is null) && !silo.IsLoopback)
        {
            result.AddError($"--gateways-from '{url}' is not on this host: without --tls-cert/--tls-key/--tls-ca (development) the agent connects only to loopback silos");
        }
    }

    if (result.GetValue(start) is { } text && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
    {
        result.AddError($"--start '{text}' is not an ISO 8601 time (example: 2026-11-25T10:00:00Z)");
    }
});
nvidiaSmiPeriod.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() is < 10 or > 60_000)
    {
        result.AddError("--nvidia-smi-period must be from 10 to 60000 ms");
    }
});
loadThreads.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 1 or > 1024)
    {
        result.AddError("--load-threads must be from 1 to 1024");
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
    var builder = StaticConfigurationHost.CreateBuilder();
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
        : new SimulatedBoxSource(SimulatorWiring.Parse(parse.GetValue(plugs), parse.GetValue(wire) ?? []).ToOptions(), realTime: true);
    var pairs = ports.Count > 0 ? ports.Select(p => (Source: Source(p.Port), p.Box)).ToList() : [(Source: Source(null), Box: parse.GetValue(box))];

    var isRunner = parse.GetValue(runner);
    if (isRunner || pairs.All(p => p.Box is not null))
    {
        var dataDirectory = Environment.GetEnvironmentVariable("FLEET_DATA")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "fleet");
        var spoolRoot = parse.GetValue(spoolDirectory);
        var id = parse.GetValue(clusterId)!;
        var gatewayList = (parse.GetValue(gateways) ?? []).Select(g => GatewayAddress.TryParse(g, out var parsed) ? parsed : throw new InvalidOperationException(g)).ToList();
        if (gatewayList.Count == 0)
        {
            gatewayList.Add(new GatewayAddress("127.0.0.1", parse.GetValue(gatewayPort)));
        }

        var siloUrls = (parse.GetValue(gatewaysFrom) ?? []).Select(u => new Uri(u)).ToList();
        AgentTls? tls = null;
        if (parse.GetValue(tlsCertificate) is { } certificateFile)
        {
            try
            {
                tls = AgentTls.Load(certificateFile.FullName, parse.GetValue(tlsKey)!.FullName, parse.GetValue(tlsAuthority)!.FullName);
            }
            catch (Exception error) when (error is InvalidDataException or FileNotFoundException)
            {
                await Console.Error.WriteLineAsync($"Fleet.AgentHost: TLS: {error.Message}").ConfigureAwait(false);
                return 2;
            }
        }

        builder.Services.AddSingleton(services => new ClusterConnection(
            client =>
            {
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = id;
                    o.ServiceId = id;
                });
                // The silos' HTTP API, or a static list resolved at each connection attempt (a silo's
                // address may change across restarts); never the membership table, which would need
                // database credentials.
                if (siloUrls.Count > 0)
                {
                    client.Services.AddSingleton<Orleans.Messaging.IGatewayListProvider>(_ => new HttpGatewayListProvider(
                        siloUrls, tls?.HttpsHandler() ?? new SocketsHttpHandler(), services.GetRequiredService<ILoggerFactory>().CreateLogger<HttpGatewayListProvider>()));
                }
                else
                {
                    client.UseStaticClustering(GatewayAddress.Resolve(gatewayList));
                }

                tls?.Configure(client);
            },
            services.GetRequiredService<ILoggerFactory>()));
        if (isRunner)
        {
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<Fleet.AgentHost.Runner.ClusterClock>();
            var meters = Fleet.AgentHost.Components.ComponentMeters.Discover(new Fleet.AgentHost.Components.ComponentMeterOptions
            {
                SysfsRoot = parse.GetValue(raplRoot)!,
                NvidiaSmi = new Fleet.AgentHost.Components.NvidiaSmiOptions { Period = TimeSpan.FromMilliseconds(parse.GetValue(nvidiaSmiPeriod)) },
            });
            builder.Services.AddSingleton(services => new Fleet.AgentHost.Runner.RunRecorder(meters, services.GetRequiredService<Fleet.AgentHost.Runner.ClusterClock>()));
            builder.Services.AddSingleton<Fleet.AgentHost.Runner.IRunRecorder>(services => services.GetRequiredService<Fleet.AgentHost.Runner.RunRecorder>());
            if (parse.GetValue(loadSignal) is { } signalFile)
            {
                builder.Services.AddHostedService(_ => new Fleet.AgentHost.Runner.LoadSignalService(signalFile));
            }

            var threads = parse.GetValue(loadThreads);
            builder.Services.AddHostedService(services => new Fleet.AgentHost.Runner.RunnerWorker(
                new Fleet.AgentHost.Runner.RunnerSettings
                {
                    Machine = parse.GetValue(machine)!,
                    Host = tls?.HostName ?? Environment.MachineName,
                    Certificate = tls?.Certificate,
                },
                services.GetRequiredService<ClusterConnection>(),
                services.GetRequiredService<Fleet.AgentHost.Runner.ClusterClock>(),
                services.GetRequiredService<Fleet.AgentHost.Runner.IRunRecorder>(),
                job => Fleet.AgentHost.Runner.LoadPatternJob.Start(job, services.GetRequiredService<Fleet.AgentHost.Runner.ClusterClock>(), threads),
                services.GetRequiredService<ILogger<Fleet.AgentHost.Runner.RunnerWorker>>()));
            pairs = [];
        }

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
                AgentHost = tls?.HostName ?? Environment.MachineName,
                Certificate = tls?.Certificate,
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
