using System.Security.Claims;
using Fleet.Storage.Audit;

namespace Fleet.Silo.Security;

/// <summary>
/// Appends every write through /api to <c>audit_log</c> once it is answered: who (the token's
/// name and role, "anonymous" when refused before that), what (method, path, answer) and, where
/// the endpoint says, the state before and after. Reads are not audited.
/// </summary>
internal sealed partial class AuditWrites
{
    private readonly RequestDelegate _next;
    private readonly AuditLog _audit;
    private readonly ILogger<AuditWrites> _logger;

    public AuditWrites(RequestDelegate next, AuditLog audit, ILogger<AuditWrites> logger)
    {
        _next = next;
        _audit = audit;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        // Written as the answer starts, before the client can see it: whoever reads audit_log
        // after an answer finds its write there. A refusal thrown by an endpoint is answered (and
        // so written down, with its status) by ApiExceptionMiddleware further out.
        var audited = 0;
        context.Response.OnStarting(() => Interlocked.Exchange(ref audited, 1) == 0 ? AppendAsync(context) : Task.CompletedTask);
        await _next(context).ConfigureAwait(false);

        // An answer without a body has not started yet: write it down before it leaves.
        if (Interlocked.Exchange(ref audited, 1) == 0)
        {
            await AppendAsync(context).ConfigureAwait(false);
        }
    }

    private async Task AppendAsync(HttpContext context)
    {
        var request = context.Request;
        var detail = context.Features.Get<AuditDetail>();
        var entry = new AuditEntry(
            context.User.Identity?.Name ?? "anonymous",
            context.User.FindFirstValue(ClaimTypes.Role) ?? "none",
            request.Method,
            request.Path + request.QueryString,
            context.Response.StatusCode,
            detail?.BeforeJson,
            detail?.AfterJson);
        try
        {
            // Not the request's token: a client that hangs up must not erase its write's trace.
            await _audit.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Data.Common.DbException or TimeoutException)
        {
            LogNotAudited(entry.Method, entry.Path, entry.Actor, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Write {Method} {Path} by {Actor} could not be written to audit_log: {Reason}")]
    private partial void LogNotAudited(string method, string path, string actor, string reason);
}
