using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace Fleet.Storage.Tests.Orleans;

/// <summary>Grain state through Orleans' AdoNet grain storage on migration 0003's schema.</summary>
public sealed class OrleansPersistenceTests : IClassFixture<OrleansDatabaseFixture>, IAsyncLifetime
{
    private readonly OrleansDatabaseFixture _db;
    private IHost _silo = null!;

    public OrleansPersistenceTests(OrleansDatabaseFixture db) => _db = db;

    private IGrainFactory Grains => _silo.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync() =>
        _silo = await OrleansTestHosts.StartSiloAsync(_db.ConnectionString, OrleansTestHosts.NewClusterId(), withStorage: true);

    public Task DisposeAsync() => OrleansTestHosts.StopAsync(_silo);

    [Fact]
    public async Task WriteState_ThenReactivate_ReadsBackTheValueAndETag()
    {
        var counter = Grains.GetGrain<ICounterGrain>(101);

        var written = await counter.SetAsync(42);
        Assert.Equal("1", written.ETag);
        Assert.Equal((1, 1L), await RowAsync(101));

        var reactivated = await ReactivateAsync(counter, written.Activation);
        Assert.Equal(42, reactivated.Value);
        Assert.Equal("1", reactivated.ETag);
        Assert.True(reactivated.RecordExists);

        var rewritten = await counter.SetAsync(43);
        Assert.Equal("2", rewritten.ETag);
        Assert.Equal(43, (await ReactivateAsync(counter, rewritten.Activation)).Value);
        Assert.Equal((2, 1L), await RowAsync(101));
    }

    [Fact]
    public async Task ClearState_AfterWrite_KeepsRowWithoutPayloadAndReadsDefault()
    {
        var counter = Grains.GetGrain<ICounterGrain>(202);
        await counter.SetAsync(7);

        var cleared = await counter.ClearAsync();
        Assert.Equal(0, cleared.Value);
        Assert.Equal("2", cleared.ETag);
        Assert.False(cleared.RecordExists);
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainIdN1 = 202 AND PayloadBinary IS NOT NULL"));
        Assert.Equal((2, 1L), await RowAsync(202));

        var reactivated = await ReactivateAsync(counter, cleared.Activation);
        Assert.Equal(0, reactivated.Value);
        Assert.False(reactivated.RecordExists);
        Assert.Equal("2", reactivated.ETag);

        // Writing after a clear continues the version sequence on the same row.
        Assert.Equal("3", (await counter.SetAsync(8)).ETag);
        Assert.Equal((3, 1L), await RowAsync(202));
    }

    [Fact]
    public async Task WriteState_RowChangedByAnotherWriter_ThrowsInconsistentStateException()
    {
        var counter = Grains.GetGrain<ICounterGrain>(303);
        await counter.SetAsync(1);

        // Another activation (a split brain) wrote in between: the grain's ETag "1" is now stale.
        await _db.ScalarAsync<int>("UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdN1 = 303 RETURNING Version");

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.SetAsync(2));
        Assert.Equal((2, 1L), await RowAsync(303));
    }

    [Fact]
    public async Task WriteStateAsync_StaleETagOrSecondFirstWrite_ThrowsInconsistentStateException()
    {
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(OrleansTestHosts.StorageName);
        var grainId = GrainId.Create("fleet-test-storage", "sensor-7");

        // Two writers that both believe the grain has no state yet: only one INSERT may win.
        var first = new GrainState<CounterState>(new CounterState { Value = 1 });
        var second = new GrainState<CounterState>(new CounterState { Value = 2 });
        await storage.WriteStateAsync("state", grainId, first);
        Assert.Equal("1", first.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", grainId, second));

        // Two writers that read the same version: the second write carries a stale ETag.
        var readA = new GrainState<CounterState>();
        var readB = new GrainState<CounterState>();
        await storage.ReadStateAsync("state", grainId, readA);
        await storage.ReadStateAsync("state", grainId, readB);
        Assert.Equal(1, readA.State!.Value);
        Assert.Equal("1", readB.ETag);
        readA.State = new CounterState { Value = 10 };
        await storage.WriteStateAsync("state", grainId, readA);
        Assert.Equal("2", readA.ETag);
        readB.State = new CounterState { Value = 20 };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", grainId, readB));

        // A stale clear fails the same way; the stored value is the winner's.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("state", grainId, readB));
        var check = new GrainState<CounterState>();
        await storage.ReadStateAsync("state", grainId, check);
        Assert.Equal(10, check.State!.Value);
        Assert.Equal("2", check.ETag);
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = 'sensor-7'"));
    }

    private static async Task<CounterSnapshot> ReactivateAsync(ICounterGrain counter, Guid activation)
    {
        await counter.DeactivateAsync();
        CounterSnapshot snapshot;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(50);
            snapshot = await counter.GetAsync();
        }
        while (snapshot.Activation == activation && DateTime.UtcNow < deadline);

        Assert.NotEqual(activation, snapshot.Activation);
        return snapshot;
    }

    /// <summary>The stored version of an integer-keyed test grain and how many rows it has.</summary>
    private async Task<(int Version, long Rows)> RowAsync(long key)
    {
        await using var command = _db.DataSource.CreateCommand("SELECT max(Version), count(*) FROM OrleansStorage WHERE GrainIdN0 = 0 AND GrainIdN1 = $1 AND GrainIdExtensionString IS NULL");
        command.Parameters.AddWithValue(key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.IsDBNull(0) ? 0 : reader.GetInt32(0), reader.GetInt64(1));
    }
}
