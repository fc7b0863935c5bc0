using Fleet.Silo.Api.Mapping;
using Fleet.Storage.Audit;

namespace Fleet.Silo.Api;

/// <summary>The audit log (admin): every write through the API, newest first.</summary>
internal static class AuditEndpoints
{
    public static void MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (int? count, AuditLog audit, CancellationToken cancellationToken) =>
            (await audit.ListAsync(Math.Clamp(count ?? 100, 1, 10_000), cancellationToken).ConfigureAwait(false)).Select(e => e.ToResponse()).ToArray())
        .WithSummary("The newest writes through the API (count: 1 to 10000, default 100): who, when, what, the answer, before and after");
    }
}
