namespace Fleet.Storage.Audit;

/// <summary>One write through the API: who, what, the answer, and (for assignments, enrolments, tokens) the JSON state before and after.</summary>
public sealed record AuditEntry(string Actor, string Role, string Method, string Path, int Status, string? BeforeJson, string? AfterJson)
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }
}
