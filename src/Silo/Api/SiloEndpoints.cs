using Fleet.Silo.Api.Mapping;

namespace Fleet.Silo.Api;

internal static class SiloEndpoints
{
    public static void MapSilos(this RouteGroupBuilder api)
    {
        // GET /api/silos: the cluster's membership as Orleans sees it (fleet status shows it).
        api.MapGet("/silos", async (IGrainFactory grains) =>
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).ConfigureAwait(false);
            return hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(h => h.ToResponse()).ToArray();
        })
        .WithSummary("The cluster's silos as Orleans' membership sees them");
    }
}
