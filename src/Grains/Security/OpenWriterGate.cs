using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Security;

/// <summary>
/// Development without TLS: every writer is accepted. The silo runs it only when it listens on
/// loopback addresses alone, so only processes on this host reach its gateway.
/// </summary>
public sealed class OpenWriterGate : IWriterGate
{
    public ValueTask CheckAsync(string boxId, FrameBatch batch) => ValueTask.CompletedTask;

    public ValueTask CheckAsync(string boxId, AgentHealth health) => ValueTask.CompletedTask;

    public ValueTask<string> CheckAsync(RunnerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return ValueTask.FromResult(hello.Host);
    }
}
