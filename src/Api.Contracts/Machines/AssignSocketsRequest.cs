using System.ComponentModel;

namespace Fleet.Api.Contracts.Machines;

/// <summary>
/// PUT /api/machines/{name}/sockets: the sockets (BOX:SOCKET) the machine is on from <c>From</c>
/// (default now). A socket must exist: its box has sent frames and has that many sockets, unless
/// <c>Force</c> (a box not plugged in yet).
/// </summary>
public sealed record AssignSocketsRequest(
    IReadOnlyList<string?>? Sockets,
    DateTimeOffset? From = null,
    [property: Description("Assign even a socket Fleet cannot check: a box that has sent no frame yet, or a socket number past its plug count.")] bool Force = false);
