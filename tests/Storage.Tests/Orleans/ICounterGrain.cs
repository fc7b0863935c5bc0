namespace Fleet.Storage.Tests.Orleans;

/// <summary>A grain whose only job is to persist an integer through the AdoNet grain storage.</summary>
[Alias("fleet.tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithIntegerKey
{
    [Alias("SetAsync")]
    Task<CounterSnapshot> SetAsync(int value);

    [Alias("GetAsync")]
    Task<CounterSnapshot> GetAsync();

    [Alias("ClearAsync")]
    Task<CounterSnapshot> ClearAsync();

    [Alias("DeactivateAsync")]
    Task DeactivateAsync();
}
