namespace Fleet.Grains.Abstractions.Messages;

/// <summary>One second of a box as kept in memory for live views: frames received and mean power per socket.</summary>
[GenerateSerializer, Immutable, Alias("fleet.LiveSecond")]
public sealed record LiveSecond(
    [property: Id(0)] DateTimeOffset Second,
    [property: Id(1)] int Frames,
    [property: Id(2)] IReadOnlyList<float> MeanPowerWatts);
