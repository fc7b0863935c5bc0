using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Fleet.Storage.Tests.Orleans;

/// <summary>Reminders through Orleans' AdoNet reminder table on migration 0004's schema.</summary>
public sealed class OrleansReminderTests : IClassFixture<OrleansDatabaseFixture>, IAsyncLifetime
{
    private readonly OrleansDatabaseFixture _db;
    private IHost _silo = null!;

    public OrleansReminderTests(OrleansDatabaseFixture db) => _db = db;

    public async Task InitializeAsync() =>
        _silo = await OrleansTestHosts.StartSiloAsync(_db.ConnectionString, OrleansTestHosts.NewClusterId(), withReminders: true);

    public Task DisposeAsync() => OrleansTestHosts.StopAsync(_silo);

    [Fact]
    public async Task RegisterReminder_ThenUnregister_RowReadBackThenGone()
    {
        var grain = _silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(7);
        var grainId = grain.GetGrainId();
        var table = _silo.Services.GetRequiredService<IReminderTable>();
        var period = TimeSpan.FromMinutes(5);

        await grain.RegisterAsync("flush", TimeSpan.FromMinutes(10), period);

        Assert.True(await grain.HasReminderAsync("flush"));
        var row = await table.ReadRow(grainId, "flush");
        Assert.NotNull(row);
        Assert.Equal(grainId, row.GrainId);
        Assert.Equal(period, row.Period);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.InRange(row.StartAt, DateTime.UtcNow.AddMinutes(9), DateTime.UtcNow.AddMinutes(11));
        Assert.Equal(300_000L, await _db.ScalarAsync<long>("SELECT Period FROM OrleansRemindersTable WHERE GrainId = $1 AND ReminderName = 'flush'", grainId.ToString()));
        Assert.Equal(unchecked((int)grainId.GetUniformHashCode()), await _db.ScalarAsync<int>("SELECT GrainHash FROM OrleansRemindersTable WHERE GrainId = $1", grainId.ToString()));

        // The silo's slice of the ring is read with the range queries: one that holds the grain's
        // hash finds the reminder, one just past it does not.
        var hash = grainId.GetUniformHashCode();
        Assert.Single((await table.ReadRows(hash - 1, hash)).Reminders);
        Assert.Empty((await table.ReadRows(hash, hash + 1)).Reminders);
        Assert.Single((await table.ReadRows(hash, hash)).Reminders); // begin == end: the whole ring (wrapping query)

        // Registering again replaces the row and bumps its ETag.
        await grain.RegisterAsync("flush", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(6));
        var updated = await table.ReadRow(grainId, "flush");
        Assert.NotNull(updated);
        Assert.Equal(TimeSpan.FromMinutes(6), updated.Period);
        Assert.Equal(int.Parse(row.ETag!, CultureInfo.InvariantCulture) + 1, int.Parse(updated.ETag!, CultureInfo.InvariantCulture));
        Assert.False(await table.RemoveRow(grainId, "flush", row.ETag!)); // stale ETag: nothing deleted
        Assert.Single((await table.ReadRows(grainId)).Reminders);

        await grain.UnregisterAsync("flush");

        Assert.False(await grain.HasReminderAsync("flush"));
        Assert.Null(await table.ReadRow(grainId, "flush"));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM OrleansRemindersTable WHERE GrainId = $1", grainId.ToString()));
    }
}
