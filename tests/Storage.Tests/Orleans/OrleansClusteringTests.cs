using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Fleet.Storage.Tests.Orleans;

/// <summary>Two real silos and a client form one cluster through migration 0002's membership schema.</summary>
public sealed class OrleansClusteringTests : IClassFixture<OrleansDatabaseFixture>
{
    private const int Active = 3; // Orleans.Runtime.SiloStatus.Active
    private const int Dead = 6; // Orleans.Runtime.SiloStatus.Dead
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly OrleansDatabaseFixture _db;

    public OrleansClusteringTests(OrleansDatabaseFixture db) => _db = db;

    [Fact]
    public async Task AdoNetClustering_TwoSilosThenOneStops_BothActiveThenSurvivorServesTheGrain()
    {
        var clusterId = OrleansTestHosts.NewClusterId();
        var silos = new List<IHost>();
        IHost? client = null;
        try
        {
            silos.Add(await OrleansTestHosts.StartSiloAsync(_db.ConnectionString, clusterId));
            silos.Add(await OrleansTestHosts.StartSiloAsync(_db.ConnectionString, clusterId));
            var addresses = silos.Select(s => s.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress).ToList();

            await OrleansTestHosts.WaitUntilAsync(async () => await CountAsync(clusterId, Active) == 2, Patience, "both silos Active in the membership table");
            Assert.Equal(2L, await CountAsync(clusterId, status: null));
            foreach (var address in addresses)
            {
                Assert.Equal(Active, await StatusAsync(clusterId, address));
            }

            // Each silo inserted itself (Joining) and then went Active, and every change bumps the ETag.
            Assert.True(await VersionAsync(clusterId) >= 4, "membership version must count at least 2 inserts and 2 updates");

            client = await OrleansTestHosts.StartClientAsync(_db.ConnectionString, clusterId);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(addresses.Select(a => a.ToString()).Order(), hosts.Keys.Select(a => a.ToString()).Order());

            var probe = grains.GetGrain<IProbeGrain>("probe");
            var before = await probe.WhereAsync();
            var hostIndex = addresses.FindIndex(a => a.ToString() == before.Silo);
            Assert.InRange(hostIndex, 0, 1);
            var survivor = silos[1 - hostIndex];
            var survivorAddress = addresses[1 - hostIndex];
            var stoppedAddress = addresses[hostIndex];

            // A graceful stop writes the silo's own row as Dead through UpdateMembershipKey.
            var stopping = silos[hostIndex];
            silos.RemoveAt(hostIndex);
            await OrleansTestHosts.StopAsync(stopping);
            await OrleansTestHosts.WaitUntilAsync(async () => await StatusAsync(clusterId, stoppedAddress) == Dead, Patience, "the stopped silo to be Dead");
            Assert.Equal(Active, await StatusAsync(clusterId, survivorAddress));

            // The grain's silo is gone: the next call must reactivate it on the survivor.
            ProbeReply? after = null;
            await OrleansTestHosts.WaitUntilAsync(
                async () =>
                {
                    try
                    {
                        after = await probe.WhereAsync();
                        return true;
                    }
                    catch (Exception e) when (e is OrleansException or TimeoutException)
                    {
                        return false;
                    }
                },
                Patience,
                "the grain to answer again");
            Assert.Equal(survivorAddress.ToString(), after!.Silo);
            Assert.NotEqual(before.Activation, after.Activation);

            // Defunct-silo cleanup through Orleans' own table (CleanupDefunctSiloEntryKey): the Dead row
            // goes only if it is still exactly as read, which needs timestamps to round-trip exactly.
            var table = survivor.Services.GetRequiredService<IMembershipTable>();
            await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.Null(await StatusAsync(clusterId, stoppedAddress));
            Assert.Equal(Active, await StatusAsync(clusterId, survivorAddress));
        }
        finally
        {
            if (client is not null)
            {
                await OrleansTestHosts.StopAsync(client);
            }

            foreach (var silo in silos)
            {
                await OrleansTestHosts.StopAsync(silo);
            }
        }
    }

    private Task<long> CountAsync(string clusterId, int? status) =>
        _db.ScalarAsync<long>(
            "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $1 AND ($2 < 0 OR Status = $2)",
            clusterId,
            status ?? -1);

    private async Task<int?> StatusAsync(string clusterId, SiloAddress silo)
    {
        await using var command = _db.DataSource.CreateCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Address = $2 AND Port = $3 AND Generation = $4");
        command.Parameters.AddWithValue(clusterId);
        command.Parameters.AddWithValue(silo.Endpoint.Address.ToString());
        command.Parameters.AddWithValue(silo.Endpoint.Port);
        command.Parameters.AddWithValue(silo.Generation);
        return (int?)await command.ExecuteScalarAsync();
    }

    private Task<int> VersionAsync(string clusterId) =>
        _db.ScalarAsync<int>("SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = $1", clusterId);
}
