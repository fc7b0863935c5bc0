using Fleet.Storage.Energy;
using Fleet.Storage.Samples;
using Fleet.Storage.Series;
using Fleet.Storage.Tests.Support;

namespace Fleet.Storage.Tests.Samples;

/// <summary>The minute and hour rollups are kept with the frames, and series read the coarsest level that fits.</summary>
public sealed class RollupLevelTests : IClassFixture<MigratedDatabaseFixture>
{
    // Mid-hour, so the first and last hours are partial.
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 41, 17, TimeSpan.Zero);
    private readonly MigratedDatabaseFixture _database;

    public RollupLevelTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task WriteAsync_HoursOfFrames_MinutesAndHoursAreTheExactSumsOfTheirSeconds()
    {
        var frames = new SparseFrames(Start, TimeSpan.FromHours(3.5), seed: 11);
        var writer = new SampleWriter(_database.DataSource);
        foreach (var block in frames.Blocks("box-levels", framesPerBlock: 997))
        {
            Assert.True(await writer.WriteAsync(block));
        }

        foreach (var (table, start, unit) in new[] { ("power_1m", "minute", "minute"), ("power_1h", "hour", "hour") })
        {
            // Every coarse row against the seconds it covers: same frames, joules, extremes and covered span.
            var mismatches = await ScalarAsync<long>($"""
                SELECT count(*) FROM {table} c
                FULL JOIN (
                    SELECT box_id, socket, date_trunc('{unit}', second, 'UTC') AS at, sum(frames) AS frames, sum(joules) AS joules,
                           min(min_w) AS min_w, max(max_w) AS max_w, min(second) AS first_second, max(second) AS last_second
                    FROM power_1s WHERE box_id = 'box-levels' GROUP BY 1, 2, 3) s
                  ON s.box_id = c.box_id AND s.socket = c.socket AND s.at = c.{start}
                WHERE coalesce(c.box_id, s.box_id) = 'box-levels'
                  AND (c.frames IS DISTINCT FROM s.frames::int OR abs(c.joules - s.joules) > 1e-9 * s.joules
                       OR c.min_w IS DISTINCT FROM s.min_w OR c.max_w IS DISTINCT FROM s.max_w
                       OR c.first_second IS DISTINCT FROM s.first_second OR c.last_second IS DISTINCT FROM s.last_second)
                """);
            Assert.Equal(0, mismatches);
        }

        // 09:41 to 13:11: five hours, the empty hour of data (10:41 to 11:41) leaving 10 and 11 partial.
        Assert.Equal(5, await ScalarAsync<long>("SELECT count(*) FROM power_1h WHERE box_id = 'box-levels' AND socket = 1"));
        var (joules, count) = frames.Energy(2, Start, Start.AddHours(4));
        Assert.Equal(count, await ScalarAsync<long>("SELECT sum(frames) FROM power_1h WHERE box_id = 'box-levels' AND socket = 2"));
        Assert.Equal(joules, await ScalarAsync<double>("SELECT sum(joules) FROM power_1h WHERE box_id = 'box-levels' AND socket = 2"), joules * 1e-9);
    }

    [Fact]
    public async Task GetSocketEnergyAsync_WindowsAcrossEveryLevel_EqualTheFramesSumWithinOnePartInABillion()
    {
        var frames = new SparseFrames(Start, TimeSpan.FromHours(3.5), seed: 13);
        var writer = new SampleWriter(_database.DataSource);
        foreach (var block in frames.Blocks("box-energy-levels", framesPerBlock: 1500))
        {
            Assert.True(await writer.WriteAsync(block));
        }

        var energy = new EnergyQueries(_database.DataSource);
        var random = new Random(5);
        var windows = new List<(DateTimeOffset From, DateTimeOffset To)>
        {
            (Start.AddHours(-1), Start.AddHours(5)),                                   // around all the data
            (Start.AddMinutes(18).AddMilliseconds(437), Start.AddHours(3).AddMilliseconds(-3)), // hours, minutes, seconds and raw at both edges
            (Start.AddMinutes(19), Start.AddMinutes(79)),                              // whole hour 10:00–11:00 on minute edges
            (Start.AddSeconds(12.3456), Start.AddSeconds(40.001)),                     // within one minute
            (Start.AddHours(1).AddMinutes(1), Start.AddHours(2)),                      // the empty hour
        };
        for (var k = 0; k < 20; k++)
        {
            var from = Start.AddSeconds(random.NextDouble() * 3 * 3600);
            windows.Add((from, from.AddSeconds(random.NextDouble() * 3 * 3600)));
        }

        foreach (var (from, to) in windows)
        {
            for (var socket = 1; socket <= 6; socket += 5)
            {
                var expected = frames.Energy(socket, from, to);
                var result = await energy.GetSocketEnergyAsync("box-energy-levels", socket, from, to);
                Assert.Equal(expected.Frames, result.Frames);
                Assert.True(Math.Abs(expected.Joules - result.Joules) <= 1e-9 * Math.Max(1, expected.Joules), $"{from:O}–{to:O} socket {socket}: {result.Joules} J, frames say {expected.Joules} J");
                Assert.False(result.FromRollupsOnly);
            }
        }
    }

    [Theory]
    [InlineData("2026-11-28T10:00:00Z", "2026-11-28T13:00:00Z", 3600, 3600)]
    [InlineData("2026-11-28T10:00:00Z", "2026-11-28T12:30:00Z", 3600, 60)]
    [InlineData("2026-11-28T10:00:00Z", "2026-11-28T12:30:00Z", 600, 60)]
    [InlineData("2026-11-28T10:00:00Z", "2026-11-28T12:30:00.5Z", 600, 1)]
    [InlineData("2026-11-28T10:00:30Z", "2026-11-28T13:00:00Z", 3600, 1)]
    [InlineData("2026-11-28T10:00:00Z", "2026-11-28T13:00:00Z", 90, 1)]
    public void LevelSeconds_PicksTheCoarsestLevelWhoseRowsFitTheStepsAndTheWindow(string from, string to, long step, long level) =>
        Assert.Equal(level, SeriesQueries.LevelSeconds(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), step));

    [Theory]
    [InlineData(3600)]
    [InlineData(600)]
    [InlineData(7)]
    public async Task GetSocketSeriesAsync_AnyLevel_StepMeansAreTheFramesMeans(long step)
    {
        var frames = new SparseFrames(Start, TimeSpan.FromHours(3.5), seed: 12);
        var box = $"box-series-{step}";
        var writer = new SampleWriter(_database.DataSource);
        foreach (var block in frames.Blocks(box, framesPerBlock: 2000))
        {
            Assert.True(await writer.WriteAsync(block));
        }

        var from = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        var to = from.AddHours(3);
        var points = await new SeriesQueries(_database.DataSource).GetSocketSeriesAsync(box, 1, from, to, step);

        var expected = Enumerable.Range(0, (int)(3 * 3600 / step) + 1)
            .Select(k => (Time: from.AddSeconds(k * step), Energy: frames.Energy(1, from.AddSeconds(k * step), Min(to, from.AddSeconds((k + 1) * step)))))
            .Where(e => e.Energy.Frames > 0)
            .ToList();
        Assert.Equal(expected.Count, points.Count);
        for (var k = 0; k < points.Count; k++)
        {
            Assert.Equal(expected[k].Time, points[k].Time);
            Assert.Equal(expected[k].Energy.Frames, points[k].Frames);
            var mean = expected[k].Energy.Joules / (expected[k].Energy.Frames * 0.01);
            Assert.Equal(mean, points[k].MeanWatts, mean * 1e-9);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
