using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.Storage.Assignments;

namespace Fleet.Grains.Machines;

/// <summary>
/// One measured machine. Its socket history is stored in SQL (where energy queries join it);
/// the grain serialises changes to it and holds the lease that keeps two experiments (or an
/// experiment and a socket identification) from using the same machine at once.
/// </summary>
public sealed class MachineGrain : Grain, IMachineGrain
{
    private readonly IPersistentState<MachineState> _state;
    /// <summary>
    /// How long a queued experiment may go without asking before it loses its place: queued
    /// experiments ask every second, and every minute by reminder after a silo restart.
    /// </summary>
    private static readonly TimeSpan WaiterTimeout = TimeSpan.FromMinutes(3);

    private readonly AssignmentStore _assignments;
    private readonly TimeProvider _time;

    public MachineGrain(
        [PersistentState("machine", FleetStorage.Name)] IPersistentState<MachineState> state,
        AssignmentStore assignments,
        TimeProvider time)
    {
        _state = state;
        _assignments = assignments;
        _time = time;
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

    public async ValueTask<bool> TryLeaseAsync(string experimentId, bool queue = false)
    {
        DropLapsedLease();
        if (_state.State.LeaseHolder is { } holder)
        {
            if (holder == experimentId)
            {
                return true;
            }

            if (queue)
            {
                await WaitInLineAsync(experimentId).ConfigureAwait(true);
            }

            return false;
        }

        // Free: the first in line that still asks gets it; a waiter silent for long was cancelled
        // or lost, and must not hold the line.
        var now = _time.GetUtcNow();
        var dropped = _state.State.Waiting.RemoveAll(w => w.ExperimentId != experimentId && now - w.LastAskedAt > WaiterTimeout) > 0;
        if (_state.State.Waiting.Count > 0 && _state.State.Waiting[0].ExperimentId != experimentId)
        {
            if (queue)
            {
                await WaitInLineAsync(experimentId).ConfigureAwait(true);
            }
            else if (dropped)
            {
                await _state.WriteStateAsync().ConfigureAwait(true);
            }

            return false;
        }

        _state.State.Waiting.RemoveAll(w => w.ExperimentId == experimentId);
        _state.State.LeaseHolder = experimentId;
        _state.State.LeaseExpiresAt = null;
        await _state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public async ValueTask<bool> TryLeaseBrieflyAsync(string holder, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        DropLapsedLease();
        var now = _time.GetUtcNow();
        if (_state.State.LeaseHolder is not null || _state.State.Waiting.Any(w => now - w.LastAskedAt <= WaiterTimeout))
        {
            return _state.State.LeaseHolder == holder;
        }

        _state.State.LeaseHolder = holder;
        _state.State.LeaseExpiresAt = now + lifetime;
        await _state.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public ValueTask<IReadOnlyList<string>> GetWaitingAsync() =>
        ValueTask.FromResult<IReadOnlyList<string>>([.. _state.State.Waiting.Select(w => w.ExperimentId)]);

    public async ValueTask ReleaseAsync(string experimentId)
    {
        var waited = _state.State.Waiting.RemoveAll(w => w.ExperimentId == experimentId) > 0;
        if (_state.State.LeaseHolder == experimentId || waited)
        {
            if (_state.State.LeaseHolder == experimentId)
            {
                _state.State.LeaseHolder = null;
                _state.State.LeaseExpiresAt = null;
            }

            await _state.WriteStateAsync().ConfigureAwait(true);
        }
    }

    private async Task WaitInLineAsync(string experimentId)
    {
        var now = _time.GetUtcNow();
        if (_state.State.Waiting.Find(w => w.ExperimentId == experimentId) is { } waiter)
        {
            // Asking again only refreshes the time in memory: a restart forgets at most one
            // timeout's worth of freshness, and the line is not written every second.
            waiter.LastAskedAt = now;
            return;
        }

        _state.State.Waiting.Add(new LeaseWaiter { ExperimentId = experimentId, LastAskedAt = now });
        await _state.WriteStateAsync().ConfigureAwait(true);
    }

    public ValueTask<string?> GetLeaseHolderAsync()
    {
        DropLapsedLease();
        return ValueTask.FromResult(_state.State.LeaseHolder);
    }

    /// <summary>A brief lease past its lifetime is no one's (written with the next change of state).</summary>
    private void DropLapsedLease()
    {
        if (_state.State.LeaseExpiresAt is { } expires && _time.GetUtcNow() >= expires)
        {
            _state.State.LeaseHolder = null;
            _state.State.LeaseExpiresAt = null;
        }
    }
}
