namespace Fleet.Storage.Tests.Orleans;

/// <summary>Where a <see cref="IProbeGrain"/> activation lives, and which activation it is.</summary>
[GenerateSerializer, Immutable, Alias("fleet.tests.ProbeReply")]
public sealed record ProbeReply([property: Id(0)] string Silo, [property: Id(1)] Guid Activation);
