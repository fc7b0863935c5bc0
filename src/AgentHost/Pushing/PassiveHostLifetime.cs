using Microsoft.Extensions.Hosting;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// Lifetime for the agent's inner client host: it must not listen for Ctrl-C or SIGTERM itself
/// (the agent's own host does, and stops the client in order after the spool is closed).
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
