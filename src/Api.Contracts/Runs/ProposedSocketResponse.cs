namespace Fleet.Api.Contracts.Runs;

/// <summary>A socket proposed for the machine.</summary>
public sealed record ProposedSocketResponse(string Box, int Socket);
