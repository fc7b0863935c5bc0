namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>The CPU the runner and everything it started used at a cluster time, in cores (0 = idle, 2 = two cores busy).</summary>
[GenerateSerializer, Immutable, Alias("fleet.ActivitySample")]
public sealed record ActivitySample(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double Cores);
