namespace Fleet.Storage.Assignments;

/// <summary>Machine <paramref name="Machine"/> was on socket <paramref name="Socket"/> of box <paramref name="BoxId"/> over [ValidFrom, ValidTo).</summary>
public sealed record SocketAssignment(string Machine, string BoxId, int Socket, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);
