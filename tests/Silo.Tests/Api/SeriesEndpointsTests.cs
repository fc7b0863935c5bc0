using System.Net;
using System.Text.Json;
using Fleet.Silo.Tests.Support;

namespace Fleet.Silo.Tests.Api;

/// <summary>/api/series against the independent clean and noisy 6-plug captures (see <see cref="SamplesSiloFixture"/>).</summary>
public sealed class SeriesEndpointsTests : IClassFixture<SamplesSiloFixture>
{
    private const string Clean = SamplesSiloFixture.CleanBox;
    private const string Noisy = SamplesSiloFixture.NoisyBox;
    private static readonly DateTimeOffset Start = SamplesSiloFixture.Start;
    private readonly SamplesSiloFixture _silo;

    public SeriesEndpointsTests(SamplesSiloFixture silo) => _silo = silo;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task GetSeries_SocketPerSecondOverCleanCapture_HundredFramesAndFixtureMean(int socket)
    {
        var series = await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket={socket}&from={Time(0)}&to={Time(30)}&step=1");

        Assert.Equal(1, series.Number("step_seconds"));
        var points = Points(series);
        Assert.Equal(30, points.Count);
        for (var second = 0; second < 30; second++)
        {
            var watts = Enumerable.Range(100 * second, 100).Select(f => _silo.CleanWatts(f, socket)).ToList();
            var point = points[second];
            Assert.Equal(Start.AddSeconds(second), point.GetProperty("time").GetDateTimeOffset());
            Assert.Equal(100, point.Count("frames"));
            AssertWatts(watts.Average(), point.Number("mean_watts"));
            AssertWatts(watts.Min(), point.Number("min_watts"));
            AssertWatts(watts.Max(), point.Number("max_watts"));
        }
    }

    [Fact]
    public async Task GetSeries_FiveSecondStep_SumsFramesWeightsMeanAndKeepsExtremes()
    {
        // From 2.5 s: steps start on the whole second before (2 s) and cover the seconds overlapping the window.
        var series = await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=2&from={Time(2.5)}&to={Time(27)}&step=5");
        var perSecond = Points(await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=2&from={Time(2)}&to={Time(27)}&step=1"));

        Assert.Equal(5, series.Number("step_seconds"));
        var points = Points(series);
        Assert.Equal(5, points.Count);
        for (var k = 0; k < 5; k++)
        {
            var first = 2 + (5 * k);
            var watts = Enumerable.Range(100 * first, 500).Select(f => _silo.CleanWatts(f, 2)).ToList();
            var seconds = perSecond.Skip(5 * k).Take(5).ToList();
            var point = points[k];
            Assert.Equal(Start.AddSeconds(first), point.GetProperty("time").GetDateTimeOffset());
            Assert.Equal(500, point.Count("frames"));
            Assert.Equal(seconds.Sum(s => s.Count("frames")), point.Count("frames"));
            AssertWatts(watts.Average(), point.Number("mean_watts"));
            AssertWatts(seconds.Sum(s => s.Number("mean_watts") * s.Count("frames")) / 500, point.Number("mean_watts"));
            Assert.Equal(seconds.Min(s => s.Number("min_watts")), point.Number("min_watts"));
            Assert.Equal(seconds.Max(s => s.Number("max_watts")), point.Number("max_watts"));
            AssertWatts(watts.Min(), point.Number("min_watts"));
            AssertWatts(watts.Max(), point.Number("max_watts"));
        }
    }

    [Fact]
    public async Task GetSeries_MachineWithTwoSockets_SumsBothSockets()
    {
        var machine = Points(await _silo.Http.GetJsonAsync($"/api/series?machine=m2&from={Time(0)}&to={Time(30)}&step=1"));
        var socket2 = Points(await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=2&from={Time(0)}&to={Time(30)}&step=1"));
        var socket3 = Points(await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=3&from={Time(0)}&to={Time(30)}&step=1"));

        Assert.Equal(30, machine.Count);
        for (var second = 0; second < 30; second++)
        {
            var frames = Enumerable.Range(100 * second, 100).ToList();
            var point = machine[second];
            Assert.Equal(Start.AddSeconds(second), point.GetProperty("time").GetDateTimeOffset());
            Assert.Equal(100, point.Count("frames"));
            AssertWatts(frames.Average(f => _silo.CleanWatts(f, 2) + _silo.CleanWatts(f, 3)), point.Number("mean_watts"));
            AssertWatts(socket2[second].Number("min_watts") + socket3[second].Number("min_watts"), point.Number("min_watts"));
            AssertWatts(socket2[second].Number("max_watts") + socket3[second].Number("max_watts"), point.Number("max_watts"));
        }
    }

    [Fact]
    public async Task GetSeries_MachineMovedDuringWindow_FollowsItsAssignmentHistory()
    {
        var points = Points(await _silo.Http.GetJsonAsync($"/api/series?machine=mover&from={Time(0)}&to={Time(30)}&step=1"));

        Assert.Equal(30, points.Count);
        for (var second = 0; second < 30; second++)
        {
            // Socket 1 until the move at 10 s, socket 4 after: never both, never neither.
            var socket = second < SamplesSiloFixture.MoveSeconds ? 1 : 4;
            Assert.Equal(100, points[second].Count("frames"));
            AssertWatts(Enumerable.Range(100 * second, 100).Average(f => _silo.CleanWatts(f, socket)), points[second].Number("mean_watts"));
        }

        // 10 s steps: the first is all socket 1, the others all socket 4.
        var steps = Points(await _silo.Http.GetJsonAsync($"/api/series?machine=mover&from={Time(0)}&to={Time(30)}&step=10"));
        Assert.Equal(3, steps.Count);
        AssertWatts(Enumerable.Range(0, 1000).Average(f => _silo.CleanWatts(f, 1)), steps[0].Number("mean_watts"));
        AssertWatts(Enumerable.Range(1000, 1000).Average(f => _silo.CleanWatts(f, 4)), steps[1].Number("mean_watts"));
    }

    [Fact]
    public async Task GetSeries_RawStep_EqualsFixtureRows()
    {
        var series = await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=3&from={Time(2)}&to={Time(3.5)}&step=0.01");

        Assert.Equal(0.01, series.Number("step_seconds"));
        var points = Points(series);
        Assert.Equal(150, points.Count);
        for (var k = 0; k < 150; k++)
        {
            var expected = _silo.CleanWatts(200 + k, 3);
            var point = points[k];
            Assert.Equal(Start.AddMilliseconds(2000 + (10 * k)), point.GetProperty("time").GetDateTimeOffset());
            Assert.Equal(1, point.Count("frames"));
            AssertWatts(expected, point.Number("mean_watts"));
            Assert.Equal(point.Number("mean_watts"), point.Number("min_watts"));
            Assert.Equal(point.Number("mean_watts"), point.Number("max_watts"));
        }
    }

    [Fact]
    public async Task GetSeries_RawStepMachine_SumsSocketsFrameByFrame()
    {
        var points = Points(await _silo.Http.GetJsonAsync($"/api/series?machine=m2&from={Time(7)}&to={Time(8)}&step=0.01"));

        Assert.Equal(100, points.Count);
        for (var k = 0; k < 100; k++)
        {
            Assert.Equal(Start.AddMilliseconds(7000 + (10 * k)), points[k].GetProperty("time").GetDateTimeOffset());
            AssertWatts(_silo.CleanWatts(700 + k, 2) + _silo.CleanWatts(700 + k, 3), points[k].Number("mean_watts"));
        }
    }

    [Fact]
    public async Task GetSeries_NoisyCapture_CountsValidFramesOnlyAndLeavesEmptyStepsOut()
    {
        var stored = _silo.NoisyFrames;
        var per = stored.Where(f => f.Valid).GroupBy(f => (long)Math.Floor((f.Time - Start).TotalSeconds)).ToDictionary(g => g.Key, g => g.ToList());
        // The capture must really have seconds with lost or invalid frames, or this test proves nothing.
        Assert.Contains(per.Values, frames => frames.Count < 100);

        var points = Points(await _silo.Http.GetJsonAsync($"/api/series?box={Noisy}&socket=3&from={Time(-60)}&to={Time(90)}&step=1"));

        // Nothing before Start nor after the capture: only the seconds with frames are points.
        Assert.Equal(per.Keys.Order().Select(s => Start.AddSeconds(s)), points.Select(p => p.GetProperty("time").GetDateTimeOffset()));
        foreach (var point in points)
        {
            var frames = per[(long)(point.GetProperty("time").GetDateTimeOffset() - Start).TotalSeconds];
            Assert.Equal(frames.Count, point.Count("frames"));
            AssertWatts(frames.Average(f => (double)f.Powers[2]), point.Number("mean_watts"));
            Assert.Equal(frames.Min(f => f.Powers[2]), point.Number("min_watts"));
            Assert.Equal(frames.Max(f => f.Powers[2]), point.Number("max_watts"));
        }

        // Raw: one point per valid frame, at its stored time; invalid and lost frames are absent.
        var raw = Points(await _silo.Http.GetJsonAsync($"/api/series?box={Noisy}&socket=3&from={Time(0)}&to={Time(60)}&step=0.01"));
        var valid = stored.Where(f => f.Valid).ToList();
        Assert.Equal(_silo.Noisy.FramesValid, raw.Count);
        Assert.Equal(valid.Select(f => f.Time), raw.Select(p => p.GetProperty("time").GetDateTimeOffset()));
        Assert.Equal(valid.Select(f => (double)f.Powers[2]), raw.Select(p => p.Number("mean_watts")));
    }

    [Theory]
    [InlineData(30, 1, 30)]
    [InlineData(2000, 1, 2000)]
    [InlineData(2001, 2, 1001)]
    [InlineData(86400, 60, 1440)]
    [InlineData(7 * 86400, 600, 1008)]
    [InlineData(366 * 86400, 21600, 1464)]
    public async Task GetSeries_NoStep_ChoosesStepForAtMost2000Points(long windowSeconds, double expectedStep, int expectedBuckets)
    {
        var series = await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=1&from={Time(0)}&to={Time(windowSeconds)}");

        Assert.Equal(expectedStep, series.Number("step_seconds"));
        Assert.True(Math.Ceiling(windowSeconds / expectedStep) == expectedBuckets);
        var points = Points(series);
        Assert.InRange(points.Count, 1, 2000);
        // The 30 s capture lies in the first step(s): Σ frames is the whole capture.
        Assert.Equal(3000, points.Sum(p => p.Count("frames")));
    }

    [Theory]
    [InlineData(3600, 0.01, 3000)]
    [InlineData(7200, 1, 30)]
    [InlineData(20 * 86400, 18, 2)]
    public async Task GetSeries_FinestStep_RawUpToAnHourThenTheSmallestStepWithinThePointCap(long windowSeconds, double expectedStep, int expectedPoints)
    {
        var series = await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=1&from={Time(0)}&to={Time(windowSeconds)}&step=finest");

        Assert.Equal(expectedStep, series.Number("step_seconds"));
        Assert.True(Math.Ceiling(windowSeconds / expectedStep) <= 100_000 || expectedStep == 0.01);
        var points = Points(series);
        Assert.Equal(expectedPoints, points.Count);
        Assert.Equal(3000, points.Sum(p => p.Count("frames")));
    }

    [Fact]
    public async Task GetSeries_RawStepOverOneHour_BadRequestAndOneHourServed()
    {
        using var tooLong = await _silo.Http.GetAsync(new Uri($"/api/series?box={Clean}&socket=1&from={Time(0)}&to={Time(3600.001)}&step=0.01", UriKind.Relative));
        await SiloApi.AssertErrorAsync(tooLong, HttpStatusCode.BadRequest, "at most 1 hour");

        var hour = Points(await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=1&from={Time(0)}&to={Time(3600)}&step=0.01"));
        Assert.Equal(3000, hour.Count);
    }

    [Theory]
    [InlineData("box=box-clean&socket=1&from={10}&to={0}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("box=box-clean&socket=1&from={5}&to={5}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("machine=m2&from={10}&to={0}", HttpStatusCode.BadRequest, "must be before")]
    [InlineData("box=box-clean&socket=1&from=yesterday&to={5}", HttpStatusCode.BadRequest, "'yesterday'")]
    [InlineData("box=box-clean&socket=1&to={5}", HttpStatusCode.BadRequest, "'from' is required")]
    [InlineData("box=box-clean&socket=1&from={0}", HttpStatusCode.BadRequest, "'to' is required")]
    [InlineData("box=no-such-box&socket=1&from={0}&to={5}", HttpStatusCode.NotFound, "unknown box 'no-such-box'")]
    [InlineData("machine=no-such-machine&from={0}&to={5}", HttpStatusCode.NotFound, "unknown machine 'no-such-machine'")]
    [InlineData("box=box-clean&socket=0&from={0}&to={5}", HttpStatusCode.BadRequest, "1 to 6")]
    [InlineData("box=box-clean&socket=7&from={0}&to={5}", HttpStatusCode.BadRequest, "1 to 6")]
    [InlineData("box=box-clean&from={0}&to={5}", HttpStatusCode.BadRequest, "1 to 6")]
    [InlineData("box=box-clean&socket=abc&from={0}&to={5}", HttpStatusCode.BadRequest, "socket")]
    [InlineData("from={0}&to={5}", HttpStatusCode.BadRequest, "either machine")]
    [InlineData("machine=m2&box=box-clean&socket=1&from={0}&to={5}", HttpStatusCode.BadRequest, "either machine")]
    [InlineData("machine=bad%20name!&from={0}&to={5}", HttpStatusCode.BadRequest, "'bad name!'")]
    [InlineData("box=bad%20box&socket=1&from={0}&to={5}", HttpStatusCode.BadRequest, "'bad box'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=0", HttpStatusCode.BadRequest, "step '0'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=-5", HttpStatusCode.BadRequest, "step '-5'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=abc", HttpStatusCode.BadRequest, "step 'abc'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=0.5", HttpStatusCode.BadRequest, "step '0.5'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=1.5", HttpStatusCode.BadRequest, "step '1.5'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=0.001", HttpStatusCode.BadRequest, "step '0.001'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=1e3", HttpStatusCode.BadRequest, "step '1e3'")]
    [InlineData("box=box-clean&socket=1&from={0}&to={5}&step=99999999999", HttpStatusCode.BadRequest, "step '99999999999'")]
    [InlineData("box=box-clean&socket=1&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&step=1", HttpStatusCode.BadRequest, "more than 100000 points")]
    [InlineData("box=box-clean&socket=1&from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&step=86400", HttpStatusCode.BadRequest, "serves at most 366 days")]
    [InlineData("machine=m2&from=2026-11-25T00:00:00Z&to=2026-11-25T02:00:00Z&step=0.01", HttpStatusCode.BadRequest, "at most 1 hour")]
    public async Task GetSeries_BadQuery_ClientErrorSayingWhy(string query, HttpStatusCode expected, string contains)
    {
        using var response = await _silo.Http.GetAsync(new Uri("/api/series?" + query.Replace("{0}", Time(0), StringComparison.Ordinal)
            .Replace("{5}", Time(5), StringComparison.Ordinal).Replace("{10}", Time(10), StringComparison.Ordinal), UriKind.Relative));

        await SiloApi.AssertErrorAsync(response, expected, contains);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "")]
    [InlineData("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "&step=2147483647")]
    [InlineData("2026-11-25T08:00:00.0000001Z", "2026-11-25T08:00:00.0000002Z", "&step=0.01")]
    [InlineData("2026-11-25T08:00:00.0000001Z", "2026-11-25T08:00:00.0000002Z", "")]
    [InlineData("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "&step=finest")]
    [InlineData("2026-11-25T08:00:00.0000001Z", "2026-11-25T08:00:00.0000002Z", "&step=finest")]
    public async Task GetSeries_ExtremeButValidWindows_Answered(string from, string to, string step)
    {
        var series = await _silo.Http.GetJsonAsync($"/api/series?box={Clean}&socket=1&from={from}&to={to}{step}");

        Assert.True(series.Number("step_seconds") > 0);
        Assert.True(Points(series).Sum(p => p.Count("frames")) <= 3000);
    }

    private static List<JsonElement> Points(JsonElement series) => [.. series.GetProperty("points").EnumerateArray()];

    private static string Time(double seconds) => Uri.EscapeDataString(SiloApi.Time(Start.AddSeconds(seconds)));

    /// <summary>The fixture prints 6 decimals and stores floats: 1e-4 relative (or 1e-5 W near zero) is their precision.</summary>
    private static void AssertWatts(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(1e-4 * Math.Abs(expected), 1e-5), $"expected {expected} W, got {actual} W");
}
