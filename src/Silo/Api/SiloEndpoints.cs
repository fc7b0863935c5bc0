using Fleet.Api.Contracts.Silos;
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

        // GET /api/gateways: where agents connect (Fleet.AgentHost --gateways-from URL). Open like
        // /healthz: the addresses are what a port scan finds anyway, and in a lab the gateways take
        // only the lab's agent certificates.
        api.MapGet("/gateways", async (IGrainFactory grains) =>
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).ConfigureAwait(false);
            return hosts.Where(h => h.ProxyPort > 0)
                .Select(h => new GatewayResponse(h.SiloAddress.Endpoint.Address.ToString(), h.ProxyPort))
                .OrderBy(g => g.Host, StringComparer.Ordinal).ThenBy(g => g.Port)
                .ToArray();
        })
        .AllowAnonymous()
        .WithSummary("The gateways of the active silos, for agents that find the cluster through the API instead of a list");
    }
}
