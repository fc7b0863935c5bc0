namespace Fleet.Storage.Tests.Orleans;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly Guid _activation = Guid.NewGuid();
    private readonly IPersistentState<CounterState> _state;

    public CounterGrain([PersistentState("state", OrleansTestHosts.StorageName)] IPersistentState<CounterState> state) => _state = state;

    public async Task<CounterSnapshot> SetAsync(int value)
    {
        _state.State = new CounterState { Value = value };
        await _state.WriteStateAsync();
        return Snapshot();
    }

    public Task<CounterSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<CounterSnapshot> ClearAsync()
    {
        await _state.ClearStateAsync();
        return Snapshot();
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private CounterSnapshot Snapshot() => new(_state.State.Value, _state.Etag, _state.RecordExists, _activation);
}
