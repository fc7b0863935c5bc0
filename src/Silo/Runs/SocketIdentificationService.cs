using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Silo.Runs;

/// <summary>
/// Finds the socket(s) of a machine from power alone: its runner drives a pseudo-random on/off
/// load, the meters record every socket, and the socket whose power follows the pattern is
/// proposed (and recorded from now on with <c>apply</c>).
/// </summary>
public sealed class SocketIdentificationService
{
    /// <summary>
    /// Runs one identification (about the pattern's duration plus a few seconds for the last frames).
    /// Throws <see cref="Hosting.ApiBadRequestException"/> when the machine has no live runner or the box is unknown.
    /// </summary>
    public Task<IdentificationOutcome> IdentifyAsync(string machine, string? boxId, int? seed, bool apply, CancellationToken cancellationToken)
    {
        _ = (machine, boxId, seed, apply, cancellationToken);
        throw new NotImplementedException("being written");
    }

    internal static LoadPattern Pattern(int seed) => new(seed, 30, 1.0);
}
