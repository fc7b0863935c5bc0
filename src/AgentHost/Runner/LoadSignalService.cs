using Fleet.AgentHost.Runner.Activity;
using Microsoft.Extensions.Hosting;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// Publishes the CPU this runner and everything it starts use to a file, for a simulated box
/// wired to it (<c>--wire SOCKET=FILE</c>): the box then draws what this "machine" does.
/// </summary>
public sealed class LoadSignalService : BackgroundService
{
    private readonly string _path;

    public LoadSignalService(string path) => _path = path;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new LoadSignalWriter(new ProcessTreeActivity(Environment.ProcessId), _path).RunAsync(stoppingToken);
}
