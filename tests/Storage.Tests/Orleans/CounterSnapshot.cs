namespace Fleet.Storage.Tests.Orleans;

/// <summary>What a <see cref="ICounterGrain"/> activation holds: its value, ETag and whether a record exists.</summary>
[GenerateSerializer, Immutable, Alias("fleet.tests.CounterSnapshot")]
public sealed record CounterSnapshot(
    [property: Id(0)] int Value,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] Guid Activation);
