namespace Fleet.Api.Contracts.Agents;

/// <summary>
/// One thing a host (the name in its lab certificate) may do: write box <c>Box</c> (its agent),
/// or run experiments as machine <c>Machine</c> (its runner); the other one is null.
/// </summary>
public sealed record EnrolmentResponse(string Host, string? Box, DateTimeOffset EnrolledAt, string EnrolledBy, string? Machine = null);
