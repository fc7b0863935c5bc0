namespace Fleet.Silo.Security;

/// <summary>
/// The state before and after a change, as JSON, for the audit log: endpoints that change
/// assignments, enrolments or tokens set it on the request (<c>HttpContext.Features</c>).
/// </summary>
internal sealed record AuditDetail(string? BeforeJson, string? AfterJson);
