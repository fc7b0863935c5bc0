namespace Fleet.Storage.Tests.Orleans;

/// <summary>The persisted state of <see cref="CounterGrain"/>.</summary>
[GenerateSerializer, Alias("fleet.tests.CounterState")]
public sealed record CounterState
{
    [Id(0)]
    public int Value { get; init; }
}
