namespace Fleet.Silo.Api;

/// <summary>PUT /api/machines/{name}/sockets: the sockets (BOX:SOCKET) the machine is on from <c>From</c> (default now).</summary>
public sealed record AssignRequest(IReadOnlyList<string?>? Sockets, string? From);

/// <summary>POST /api/experiments: id is generated when absent.</summary>
public sealed record CreateExperimentRequest(string? Id, string? Name, IReadOnlyList<string?>? Machines);

/// <summary>Body of start/stop: a UTC time, default now; <c>Failed</c> marks a stop as failed.</summary>
public sealed record AtRequest(string? At, bool Failed = false);

/// <summary>POST /api/experiments/{id}/marks.</summary>
public sealed record MarkRequest(string? Name, string? At);
