using Fleet.Storage.Energy;
using Fleet.Storage.Retention;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;

namespace Fleet.Storage.Tests.Retention;

/// <summary>Retention drops whole days of raw frames, keeps every rollup, and writing goes on.</summary>
public sealed class RawRetentionTests : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTimeOffset Day1 = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly MigratedDatabaseFixture _database;

    public RawRetentionTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task DropBeforeAsync_TwoOldDays_DropsTheirRawFramesOnlyAndRecordsWhereRawFramesBegin()
    {
        var writer = new SampleWriter(_database.DataSource);
        var days = Enumerable.Range(0, 3).Select(d => new SparseFrames(Day1.AddDays(d).AddHours(23.9), TimeSpan.FromMinutes(12), seed: d)).ToList();
        for (var d = 0; d < days.Count; d++)
        {
            foreach (var block in days[d].Blocks("box-retention", framesPerBlock: 500, sourceId: $"day-{d}"))
            {
                Assert.True(await writer.WriteAsync(block));
            }
        }

        var joulesBefore = await ScalarAsync<double>("SELECT sum(joules) FROM power_1s WHERE box_id = 'box-retention'");
        var hoursBefore = await ScalarAsync<double>("SELECT sum(joules) FROM power_1h WHERE box_id = 'box-retention'");
        var retention = new RawRetention(_database.DataSource);
        Assert.Null(await retention.GetRawFromAsync());

        // Frames run from day 1 23:54 to day 4 00:06; a horizon at day 3 00:00 ends days 1 and 2 only.
        var dropped = await retention.DropBeforeAsync(Day1.AddDays(2));

        Assert.Equal([DateOnly.FromDateTime(Day1.UtcDateTime), DateOnly.FromDateTime(Day1.AddDays(1).UtcDateTime)], dropped);
        Assert.Equal(Day1.AddDays(2), await retention.GetRawFromAsync());
        Assert.Equal(0, await ScalarAsync<long>($"SELECT count(*) FROM sample_chunks WHERE box_id = 'box-retention' AND second < '{Day1.AddDays(2):O}'"));
        var rawLeft = await ScalarAsync<long>("SELECT sum(frames) FROM sample_chunks WHERE box_id = 'box-retention'");
        Assert.Equal(days[1].Times.Count(t => t >= ToUs(Day1.AddDays(2))) + days[2].Times.Count, rawLeft);
        Assert.Equal(joulesBefore, await ScalarAsync<double>("SELECT sum(joules) FROM power_1s WHERE box_id = 'box-retention'"), 1e-9 * joulesBefore);
        Assert.Equal(hoursBefore, await ScalarAsync<double>("SELECT sum(joules) FROM power_1h WHERE box_id = 'box-retention'"), 1e-9 * hoursBefore);

        // Energy over a window from a dropped day into a kept one: the dropped edge from the
        // rollups (the seconds that start in the window, whole), the kept edge exact; and said so.
        var from = Day1.AddDays(1).AddHours(23.95).AddMilliseconds(250);
        var to = Day1.AddDays(2).AddMinutes(3).AddMilliseconds(333);
        var window = await new EnergyQueries(_database.DataSource).GetSocketEnergyAsync("box-retention", 3, from, to);
        var expected = days[1].Energy(3, from.AddMilliseconds(750), to);
        Assert.True(window.FromRollupsOnly);
        Assert.Equal(expected.Frames, window.Frames);
        Assert.Equal(expected.Joules, window.Joules, 1e-9 * expected.Joules);
        var kept = await new EnergyQueries(_database.DataSource).GetSocketEnergyAsync("box-retention", 3, Day1.AddDays(2).AddMilliseconds(5), to);
        Assert.False(kept.FromRollupsOnly);
        Assert.Equal(days[1].Energy(3, Day1.AddDays(2).AddMilliseconds(5), to).Joules, kept.Joules, 1e-9 * kept.Joules);

        // Dropping again changes nothing; a late block for a dropped day is still stored (its partition is made again).
        Assert.Empty(await retention.DropBeforeAsync(Day1.AddDays(2)));
        var late = new SparseFrames(Day1.AddHours(12), TimeSpan.FromSeconds(30), seed: 9);
        Assert.True(await writer.WriteAsync(late.Blocks("box-retention", framesPerBlock: 1000, sourceId: "late").Single()));
        Assert.Equal(late.Times.Count, await ScalarAsync<long>($"SELECT sum(frames) FROM sample_chunks WHERE box_id = 'box-retention' AND second < '{Day1.AddDays(1):O}'"));
    }

    private static long ToUs(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10;

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
