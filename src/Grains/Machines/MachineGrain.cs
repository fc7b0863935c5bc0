using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.Storage.Assignments;

namespace Fleet.Grains.Machines;

/// <summary>
/// One measured machine. Its socket history is stored in SQL (where energy queries join it);
/// the grain serialises changes to it and holds the lease that keeps two experiments from
/// measuring the same machine at once.
/// </summary>
public sealed class MachineGrain : Grain, IMachineGrain
{
    private readonly IPersistentState<MachineState> _state;
    private readonly AssignmentStore _assignments;

    public MachineGrain(
        [PersistentState("machine", FleetStorage.Name)] IPersistentState<MachineState> state,
        AssignmentStore assignments)
    {
        _state = state;
        _assignments = assignments;
    }

    private string Name => this.GetPrimaryKeyString();

    public async ValueTask AssignAsync(IReadOnlyList<SocketRef> sockets, DateTimeOffset from)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        if (!Naming.IsValidId(Name))
        {
            throw new RequestRejectedException(Naming.InvalidId(Name, "machine name"));
        }

        if (sockets.Count == 0)
        {
            throw new RequestRejectedException("a machine needs at least one socket (BOX:SOCKET)");
        }

        foreach (var socket in sockets)
        {
            if (!Naming.IsValidId(socket.BoxId) || !FrameLayout.IsValidSocket(socket.Socket))
            {
                throw new RequestRejectedException($"'{socket}' is not a socket: expected BOX:SOCKET with SOCKET from 1 to {FrameLayout.MaxPlugs}");
            }
        }

        if (sockets.Distinct().Count() != sockets.Count)
        {
            throw new RequestRejectedException("the same socket is listed twice");
        }

        try
        {
            await StorageCalls.RunAsync(() => _assignments.AssignAsync(Name, [.. sockets.Select(s => (s.BoxId, s.Socket))], from)).ConfigureAwait(true);
        }
        catch (SocketTakenException error)
        {
            throw new RequestRejectedException(error.Message);
        }
    }

    public async ValueTask<IReadOnlyList<Assignment>> GetAssignmentsAsync()
    {
        var rows = await StorageCalls.RunAsync(() => _assignments.ListAsync(Name)).ConfigureAwait(true);
        return [.. rows.Select(r => new Assignment(r.Machine, new SocketRef(r.BoxId, r.Socket), r.ValidFrom, r.ValidTo))];
    }

    public async ValueTask<bool> TryLeaseAsync(string experimentId)
    {
        if (_state.State.LeaseHolder is { } holder)
        {
            return holder == experimentId;
        }

        _state.State.LeaseHolder = experimentId;
        await _state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public async ValueTask ReleaseAsync(string experimentId)
    {
        if (_state.State.LeaseHolder == experimentId)
        {
            _state.State.LeaseHolder = null;
            await _state.WriteStateAsync().ConfigureAwait(true);
        }
    }

    public ValueTask<string?> GetLeaseHolderAsync() => ValueTask.FromResult(_state.State.LeaseHolder);
}
