namespace Fleet.Api.Contracts.Machines;

/// <summary>A machine on a socket over [ValidFrom, ValidTo); ValidTo null while it is still there.</summary>
public sealed record AssignmentResponse(string Machine, string Box, int Socket, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);
