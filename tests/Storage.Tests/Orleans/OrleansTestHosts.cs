using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Fleet.Storage.Tests.Orleans;

/// <summary>
/// Real silos and clients on loopback, wired to Fleet's Orleans schema through the AdoNet providers
/// exactly as the silo will be (invariant "Npgsql", a connection string).
/// </summary>
internal static class OrleansTestHosts
{
    public const string Invariant = "Npgsql";

    /// <summary>The storage name test grains persist under (the silo will use one shared constant too).</summary>
    public const string StorageName = "fleet";

    public static async Task<IHost> StartSiloAsync(string connectionString, string clusterId, bool withStorage = false, bool withReminders = false)
    {
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = clusterId;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, FreeTcpPort(), FreeTcpPort());
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    // Short timeouts so joining, leaving and failure detection take seconds, not minutes.
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
                });
                if (withStorage)
                {
                    silo.AddAdoNetGrainStorage(StorageName, o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = connectionString;
                    });
                }

                if (withReminders)
                {
                    silo.UseAdoNetReminderService(o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = connectionString;
                    });
                }
            })
            .ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30)))
            .Build();
        await host.StartAsync();
        return host;
    }

    public static async Task<IHost> StartClientAsync(string connectionString, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                // The gateway list comes from GatewaysQueryKey on our schema.
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = clusterId;
                });
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            })
            .Build();
        await host.StartAsync();
        return host;
    }

    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    public static string NewClusterId() => $"fleet-test-{Guid.NewGuid():N}";

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
