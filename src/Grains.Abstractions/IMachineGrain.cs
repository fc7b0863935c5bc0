using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Abstractions;

/// <summary>A measured machine, keyed by its name: which sockets feed it (with history) and who leases it.</summary>
public interface IMachineGrain : IGrainWithStringKey
{
    /// <summary>From <paramref name="from"/> on the machine is on exactly these sockets (two for two power supplies).</summary>
    ValueTask AssignAsync(IReadOnlyList<SocketRef> sockets, DateTimeOffset from);

    /// <summary>The whole assignment history, oldest first.</summary>
    ValueTask<IReadOnlyList<Assignment>> GetAssignmentsAsync();

    /// <summary>
    /// Reserves the machine for an experiment; false when another experiment holds it. With
    /// <paramref name="queue"/>, a refused experiment waits in line: the machine goes to the
    /// first in line when it is free, as long as that one keeps asking.
    /// </summary>
    ValueTask<bool> TryLeaseAsync(string experimentId, bool queue = false);

    /// <summary>Experiments waiting for the machine, first in line first.</summary>
    ValueTask<IReadOnlyList<string>> GetWaitingAsync();

    ValueTask ReleaseAsync(string experimentId);

    ValueTask<string?> GetLeaseHolderAsync();
}
