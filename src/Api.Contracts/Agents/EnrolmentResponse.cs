namespace Fleet.Api.Contracts.Agents;

/// <summary>One box a USB host (the name in its lab certificate) may write.</summary>
public sealed record EnrolmentResponse(string Host, string Box, DateTimeOffset EnrolledAt, string EnrolledBy);
