using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Registry;

/// <summary>
/// The registry. Boxes are bounded by the hardware a lab owns; experiments are capped at
/// <see cref="MaxRecentExperiments"/> (older ones are listed from SQL), so the state stays small.
/// </summary>
public sealed class FleetGrain : Grain, IFleetGrain
{
    public const int MaxRecentExperiments = 1_000;

    /// <summary>A box heard from again within this span does not cost a state write.</summary>
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private readonly IPersistentState<FleetState> _state;

    public FleetGrain([PersistentState("fleet", FleetStorage.Name)] IPersistentState<FleetState> state) => _state = state;

    public async ValueTask RegisterBoxAsync(BoxInfo box)
    {
        ArgumentNullException.ThrowIfNull(box);
        if (_state.State.Boxes.TryGetValue(box.BoxId, out var known)
            && known.Plugs == box.Plugs && known.AgentHost == box.AgentHost && box.LastSeen - known.LastSeen < LastSeenResolution)
        {
            return;
        }

        _state.State.Boxes[box.BoxId] = box;
        await _state.WriteStateAsync().ConfigureAwait(true);
    }

    public ValueTask<IReadOnlyList<BoxInfo>> ListBoxesAsync() =>
        ValueTask.FromResult<IReadOnlyList<BoxInfo>>([.. _state.State.Boxes.Values.OrderBy(b => b.BoxId, StringComparer.Ordinal)]);

    public async ValueTask RegisterExperimentAsync(string experimentId)
    {
        var recent = _state.State.RecentExperiments;
        recent.Remove(experimentId);
        recent.Insert(0, experimentId);
        if (recent.Count > MaxRecentExperiments)
        {
            recent.RemoveRange(MaxRecentExperiments, recent.Count - MaxRecentExperiments);
        }

        await _state.WriteStateAsync().ConfigureAwait(true);
    }

    public ValueTask<IReadOnlyList<string>> ListRecentExperimentsAsync(int count) =>
        ValueTask.FromResult<IReadOnlyList<string>>([.. _state.State.RecentExperiments.Take(Math.Clamp(count, 0, MaxRecentExperiments))]);
}
