namespace Fleet.Storage.Energy;

/// <summary>Socket <paramref name="Socket"/> of box <paramref name="BoxId"/> measured a machine over [<paramref name="From"/>, <paramref name="To"/>).</summary>
public sealed record SocketWindow(string BoxId, int Socket, DateTimeOffset From, DateTimeOffset To);
