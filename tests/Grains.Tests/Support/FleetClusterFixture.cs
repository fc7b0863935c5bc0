using Fleet.Grains;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Energy;
using Fleet.Storage.Experiments;
using Fleet.Storage.Export;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Fleet.Grains.Tests.Support;

/// <summary>A real in-process Orleans cluster whose grains store into a fresh, migrated PostgreSQL database.</summary>
public sealed class FleetClusterFixture : IAsyncLifetime
{
    /// <summary>How long a box's writer must be silent before another agent may take over, in these tests.</summary>
    public const int TakeoverSeconds = 2;

    /// <summary>How long a runner may be silent before its experiment fails, in these tests.</summary>
    public const int RunnerTimeoutSeconds = 3;

    private readonly MigratedDatabaseFixture _database = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(FleetStorage.Name);
            silo.UseInMemoryReminderService();
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(_database.DataSource);
            host.Services.AddSingleton<SampleWriter>();
            host.Services.AddSingleton<SampleReader>();
            host.Services.AddSingleton<IngestPositions>();
            host.Services.AddSingleton<BoxStore>();
            host.Services.AddSingleton<AssignmentStore>();
            host.Services.AddSingleton<EnergyQueries>();
            host.Services.AddSingleton<ExperimentStore>();
            host.Services.AddSingleton<Fleet.Storage.Runs.RunLogStore>();
            host.Services.AddSingleton<Fleet.Storage.Runs.RunSampleStore>();
            // Short, so a lost runner fails its experiment within seconds in these tests.
            host.Services.Configure<Fleet.Grains.Runners.RunnerOptions>(o => o.HeartbeatTimeoutSeconds = RunnerTimeoutSeconds);
            host.Services.AddSingleton(TimeProvider.System);
            // No TLS in process: every writer is accepted, as in development (the lab gate has its own end-to-end tests).
            host.Services.AddSingleton<Fleet.Grains.Security.IWriterGate, Fleet.Grains.Security.OpenWriterGate>();
            host.Services.AddSingleton<Fleet.Grains.Telemetry.FleetMetrics>();
            // Short, so the takeover test waits seconds, not the production minute.
            host.Services.Configure<Fleet.Grains.Meters.MeterOptions>(o => o.WriterTakeoverSeconds = TakeoverSeconds);
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
