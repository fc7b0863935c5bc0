using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Security;

/// <summary>
/// Decides whether a batch or a health report may be written to a box, whatever path it took to
/// the meter grain: a signature by an agent enrolled for the box, or by a silo (the HTTP API's
/// imports, which the API's roles guard). Throws <see cref="Abstractions.AgentNotEnrolledException"/>
/// (transient) or <see cref="Abstractions.InvalidBatchException"/> (permanent) when not.
/// </summary>
public interface IWriterGate
{
    ValueTask CheckAsync(string boxId, FrameBatch batch);

    ValueTask CheckAsync(string boxId, AgentHealth health);

    /// <summary>
    /// Checks a runner's hello: signed by a lab certificate whose host is enrolled for the machine
    /// (<c>fleet agents allow HOST --machine M</c>) and sent recently. Returns the host it proved.
    /// </summary>
    ValueTask<string> CheckAsync(RunnerHello hello);
}
