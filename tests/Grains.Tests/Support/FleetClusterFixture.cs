using Fleet.Grains;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Energy;
using Fleet.Storage.Experiments;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Fleet.Grains.Tests.Support;

/// <summary>A real in-process Orleans cluster whose grains store into a fresh, migrated PostgreSQL database.</summary>
public sealed class FleetClusterFixture : IAsyncLifetime
{
    private readonly MigratedDatabaseFixture _database = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(FleetStorage.Name));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(_database.DataSource);
            host.Services.AddSingleton<SampleWriter>();
            host.Services.AddSingleton<BoxStore>();
            host.Services.AddSingleton<AssignmentStore>();
            host.Services.AddSingleton<EnergyQueries>();
            host.Services.AddSingleton<ExperimentStore>();
            host.Services.AddSingleton(TimeProvider.System);
            host.Services.AddSingleton<Fleet.Grains.Telemetry.FleetMetrics>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _database.DisposeAsync();
    }
}
