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

    /// <summary>
    /// Reserves the machine for a short job that is not an experiment (socket identification):
    /// false when anyone holds it or experiments wait in line for it (they come first). The
    /// lease lapses by itself after <paramref name="lifetime"/>, so a silo lost mid-job never
    /// keeps the machine; the job releases it when done.
    /// </summary>
    ValueTask<bool> TryLeaseBrieflyAsync(string holder, TimeSpan lifetime);

    /// <summary>Experiments waiting for the machine, first in line first.</summary>
    ValueTask<IReadOnlyList<string>> GetWaitingAsync();

    ValueTask ReleaseAsync(string experimentId);

    ValueTask<string?> GetLeaseHolderAsync();
}
