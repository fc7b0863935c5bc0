using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Abstractions;

/// <summary>A measured machine, keyed by its name: which sockets feed it (with history) and who leases it.</summary>
public interface IMachineGrain : IGrainWithStringKey
{
    /// <summary>From <paramref name="from"/> on the machine is on exactly these sockets (two for two power supplies).</summary>
    ValueTask AssignAsync(IReadOnlyList<SocketRef> sockets, DateTimeOffset from);

    /// <summary>The whole assignment history, oldest first.</summary>
    ValueTask<IReadOnlyList<Assignment>> GetAssignmentsAsync();

    /// <summary>Reserves the machine for an experiment; false when another running experiment holds it.</summary>
    ValueTask<bool> TryLeaseAsync(string experimentId);

    ValueTask ReleaseAsync(string experimentId);

    ValueTask<string?> GetLeaseHolderAsync();
}
