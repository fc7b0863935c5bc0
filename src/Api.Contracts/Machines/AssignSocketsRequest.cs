namespace Fleet.Api.Contracts.Machines;

/// <summary>PUT /api/machines/{name}/sockets: the sockets (BOX:SOCKET) the machine is on from <c>From</c> (default now).</summary>
public sealed record AssignSocketsRequest(IReadOnlyList<string?>? Sockets, DateTimeOffset? From = null);
