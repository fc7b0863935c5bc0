namespace Fleet.Api.Contracts.Machines;

/// <summary>GET /api/machines/{name}/sockets: socket <c>Socket</c> of <c>Box</c> measured the machine over [<c>From</c>, <c>To</c>) within the window asked for.</summary>
public sealed record SocketWindowResponse(string Box, int Socket, DateTimeOffset From, DateTimeOffset To);
