using System.CommandLine;
using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var serial = new Option<string?>("--serial") { Description = "Read the box on this serial port (921600 8N1), e.g. /dev/ttyUSB0.", HelpName = "PORT" };
var replay = new Option<FileInfo?>("--replay") { Description = "Replay a raw capture file.", HelpName = "FILE" };
var rate = new Option<string>("--rate") { Description = "Replay pace: max (as fast as possible) or realtime (10 ms per frame).", DefaultValueFactory = _ => "max" };
rate.AcceptOnlyFromAmong("max", "realtime");
var stdin = new Option<bool>("--stdin") { Description = "Read raw bytes from standard input." };
var simulate = new Option<bool>("--simulate") { Description = "Read a simulated box (3 machines on sockets 1-3) in real time." };
var reportSeconds = new Option<double>("--report-every") { Description = "Seconds between status lines.", DefaultValueFactory = _ => 5.0, HelpName = "SECONDS" };

var root = new RootCommand("""
    Fleet agent: reads an OmegaWatt box and reports its frames.

    Exactly one source: --serial PORT, --replay FILE [--rate max|realtime], --stdin or --simulate.
    Examples:
      Fleet.AgentHost --serial /dev/ttyUSB0
      Fleet.AgentHost --replay capture.bin --rate realtime
    """)
{
    serial, replay, rate, stdin, simulate, reportSeconds,
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
});
reportSeconds.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() <= 0)
    {
        result.AddError("--report-every must be a positive number of seconds");
    }
});
root.SetAction(async (parse, cancellationToken) =>
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; o.UseUtcTimestamp = true; });
    var port = parse.GetValue(serial);
    var file = parse.GetValue(replay);
    builder.Services.AddSingleton<IByteSource>(services =>
        port is not null ? new SerialPortSource(new SerialPortOptions { PortName = port }, services.GetRequiredService<ILogger<SerialPortSource>>())
        : file is not null ? (parse.GetValue(rate) == "realtime" ? new RealTimeReplaySource(file.FullName) : StreamSource.File(file.FullName))
        : parse.GetValue(stdin) ? StreamSource.StandardInput()
        : new SimulatedBoxSource(SimulatedBoxSource.DemoBox, realTime: true));
    var interval = TimeSpan.FromSeconds(parse.GetValue(reportSeconds));
    builder.Services.AddHostedService(services => new AgentWorker(
        services.GetRequiredService<IByteSource>(),
        services.GetRequiredService<IHostApplicationLifetime>(),
        services.GetRequiredService<ILogger<AgentWorker>>(),
        interval));
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
