namespace Fleet.Grains.Abstractions.Messages;

/// <summary>A machine on a socket over [ValidFrom, ValidTo); ValidTo null while it is still there.</summary>
[GenerateSerializer, Immutable, Alias("fleet.Assignment")]
public sealed record Assignment(
    [property: Id(0)] string Machine,
    [property: Id(1)] SocketRef Socket,
    [property: Id(2)] DateTimeOffset ValidFrom,
    [property: Id(3)] DateTimeOffset? ValidTo);
