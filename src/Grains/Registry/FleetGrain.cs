using Fleet.Grains.Abstractions;

namespace Fleet.Grains.Registry;

/// <summary>
/// The registry. Experiments are capped at <see cref="MaxRecentExperiments"/> (older ones are
/// listed from SQL), so the state stays small.
/// </summary>
public sealed class FleetGrain : Grain, IFleetGrain
{
    public const int MaxRecentExperiments = 1_000;

    private readonly IPersistentState<FleetState> _state;

    public FleetGrain([PersistentState("fleet", FleetStorage.Name)] IPersistentState<FleetState> state) => _state = state;

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
