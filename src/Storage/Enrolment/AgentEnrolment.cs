namespace Fleet.Storage.Enrolment;

/// <summary>One box a host may write, since when and on whose word.</summary>
public sealed record AgentEnrolment(string Host, string BoxId, DateTimeOffset EnrolledAt, string EnrolledBy);
