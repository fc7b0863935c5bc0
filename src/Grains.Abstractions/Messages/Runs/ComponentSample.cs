namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>
/// A component meter's cumulative energy at a cluster time: <paramref name="Joules"/> since the
/// runner started recording this run (wraps already unfolded). Energy over a phase is the
/// difference of the counter interpolated at its two ends.
/// </summary>
/// <param name="Component">"rapl" or "gpu".</param>
[GenerateSerializer, Immutable, Alias("fleet.ComponentSample")]
public sealed record ComponentSample(
    [property: Id(0)] string Component,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] double Joules);
