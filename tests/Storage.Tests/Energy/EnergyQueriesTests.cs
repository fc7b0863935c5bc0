using Fleet.Storage.Assignments;
using Fleet.Storage.Energy;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;

namespace Fleet.Storage.Tests.Energy;

/// <summary>
/// What a window's energy means at every edge of the data, on frames whose numbers are known
/// exactly: box-edge sends 10 s of frames from <see cref="DataFrom"/> (socket 1 at 100 W, socket
/// 2 at 50 W) with one second missing in the middle ([+4 s, +5 s)), so 900 frames of 1 J on
/// socket 1. box-silent sent frames an hour later only: in these windows it is silent.
/// </summary>
public sealed class EnergyQueriesTests : IClassFixture<EnergyQueriesTests.EdgeData>
{
    private const string Box = "box-edge";
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DataFrom = T.AddSeconds(10);
    private static readonly DateTimeOffset DataTo = T.AddSeconds(20);
    private readonly EnergyQueries _energy;

    public EnergyQueriesTests(EdgeData data) => _energy = new EnergyQueries(data.DataSource);

    [Theory]
    [InlineData(0, 10)]
    [InlineData(20, 30)]
    [InlineData(14, 15)]
    [InlineData(14.25, 14.75)]
    public async Task Socket_WindowWithoutFrames_NothingCoveredNothingFilledNoMean(double from, double to)
    {
        var energy = await SocketAsync(1, from, to);

        Assert.Equal(0, energy.Joules);
        Assert.Equal(0, energy.Frames);
        Assert.Equal(Frames(from, to), energy.FramesExpected);
        Assert.Equal(0, energy.Coverage);
        Assert.Null(energy.CoveredFrom);
        Assert.Null(energy.CoveredTo);
        Assert.Equal(0, energy.CoveredSeconds);
        Assert.Equal(0, energy.FramesInterpolated);
        Assert.Equal(0, energy.InterpolatedJoules);
        Assert.Null(energy.MeanWatts);
    }

    [Fact]
    public async Task Socket_WindowAroundTheData_MeanOverTheCoveredTimeOnlyTheMiddleGapFilled()
    {
        // The case: a window much wider than the data must not spread it thin or invent the missing ends.
        var energy = await SocketAsync(1, -3600, 30);

        AssertNear(900, energy.Joules);
        Assert.Equal(900, energy.Frames);
        Assert.Equal(Frames(-3600, 30), energy.FramesExpected);
        Assert.Equal(900.0 / Frames(-3600, 30), energy.Coverage, 1e-12);
        Assert.Equal(DataFrom, energy.CoveredFrom);
        Assert.Equal(DataTo, energy.CoveredTo);
        Assert.Equal(10, energy.CoveredSeconds, 1e-9);
        Assert.Equal(100, energy.FramesInterpolated);
        AssertNear(1000, energy.InterpolatedJoules);
        AssertNear(100, energy.MeanWatts!.Value);
        Assert.Equal(100.0, energy.PeakWatts);
    }

    [Theory]
    [InlineData(10, 20, 900, 10, 20, 100)] // exactly the data: the middle gap filled
    [InlineData(5, 20, 900, 10, 20, 100)] // starts before the data: nothing filled before the first frame
    [InlineData(10, 25, 900, 10, 20, 100)] // ends after the data: nothing filled after the last frame
    [InlineData(14.5, 18, 300, 15, 18, 0)] // starts in the gap: its first part is not a gap between frames
    [InlineData(12, 14.5, 200, 12, 14, 0)] // ends in the gap
    [InlineData(13, 16, 200, 13, 16, 100)] // the gap in the middle, frames on both sides: filled
    [InlineData(13.25, 15.75, 150, 13.25, 15.75, 100)] // edges inside seconds, read from the raw frames
    public async Task Socket_WindowAtAnEdge_CoversTheFramesAndFillsOnlyBoundedGaps(double from, double to, int frames, double coveredFrom, double coveredTo, int filled)
    {
        var energy = await SocketAsync(1, from, to);

        AssertNear(frames, energy.Joules);
        Assert.Equal(frames, energy.Frames);
        Assert.Equal(Frames(from, to), energy.FramesExpected);
        Assert.Equal((double)frames / Frames(from, to), energy.Coverage, 1e-12);
        Assert.Equal(T.AddSeconds(coveredFrom), energy.CoveredFrom);
        Assert.Equal(T.AddSeconds(coveredTo), energy.CoveredTo);
        Assert.Equal(coveredTo - coveredFrom, energy.CoveredSeconds, 1e-9);
        Assert.Equal(filled, energy.FramesInterpolated);
        AssertNear(frames + filled, energy.InterpolatedJoules);
        AssertNear(100, energy.MeanWatts!.Value);
    }

    [Fact]
    public async Task Machine_TwoSuppliesBothMeasuring_MeanIsTheirSumAndTheTimeCountsOnce()
    {
        var energy = await _energy.GetMachineEnergyAsync("m-both", T, T.AddSeconds(30));

        AssertNear(900 + 450, energy.Joules);
        Assert.Equal(1800, energy.Frames);
        Assert.Equal(6000, energy.FramesExpected);
        Assert.Equal(10, energy.CoveredSeconds, 1e-9);
        AssertNear(150, energy.MeanWatts!.Value);
        AssertNear(1500, energy.InterpolatedJoules);
        Assert.Equal(2, energy.Sockets.Count);
    }

    [Fact]
    public async Task Machine_TwoSuppliesOneBoxSilent_CoverageHalvedTheSilentSupplyNamedAndNothingInvented()
    {
        var energy = await _energy.GetMachineEnergyAsync("m-half", DataFrom, DataTo);

        AssertNear(900, energy.Joules);
        Assert.Equal(900, energy.Frames);
        Assert.Equal(2000, energy.FramesExpected);
        Assert.Equal(0.45, energy.Coverage, 1e-12);
        Assert.Equal(DataFrom, energy.CoveredFrom);
        Assert.Equal(DataTo, energy.CoveredTo);
        AssertNear(1000, energy.InterpolatedJoules);
        // What the measuring supply drew; the silent one adds nothing rather than a guess.
        AssertNear(100, energy.MeanWatts!.Value);
        var silent = Assert.Single(energy.Sockets, s => s.BoxId == "box-silent");
        Assert.Equal(0, silent.Frames);
        Assert.Equal(1000, silent.FramesExpected);
        Assert.Null(silent.CoveredFrom);
        Assert.Equal(0, silent.InterpolatedJoules);
    }

    [Fact]
    public async Task Machine_MovedInTheGap_EachSocketCoversItsOwnPartAndTheMeanIsOverBoth()
    {
        // m-move is on socket 1 until +14.5 s, then on socket 2 (50 W).
        var energy = await _energy.GetMachineEnergyAsync("m-move", T, T.AddSeconds(30));

        AssertNear(400 + (500 * 0.5), energy.Joules);
        Assert.Equal(900, energy.Frames);
        Assert.Equal(T.AddSeconds(10), energy.CoveredFrom);
        Assert.Equal(T.AddSeconds(20), energy.CoveredTo);
        // Socket 1 covers [10, 14), socket 2 [15, 20): the half-second each side of the move is no one's gap.
        Assert.Equal(9, energy.CoveredSeconds, 1e-9);
        Assert.Equal(0, energy.FramesInterpolated);
        AssertNear(650.0 / 9, energy.MeanWatts!.Value);
    }

    private Task<WindowEnergy> SocketAsync(int socket, double from, double to) =>
        _energy.GetSocketEnergyAsync(Box, socket, T.AddSeconds(from), T.AddSeconds(to));

    private static long Frames(double from, double to) => (long)Math.Round((to - from) * 100);

    private static void AssertNear(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    /// <summary>Writes the frames and assignments once for the class.</summary>
    public sealed class EdgeData : IAsyncLifetime
    {
        private readonly MigratedDatabaseFixture _database = new();

        public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            var writer = new SampleWriter(DataSource);
            var present = Enumerable.Range(0, 1000).Where(k => k is < 400 or >= 500).ToArray();
            Assert.True(await writer.WriteAsync(Block(Box, DataFrom, present, [100f, 50f])));
            Assert.True(await writer.WriteAsync(Block("box-silent", T.AddHours(1), [.. Enumerable.Range(0, 100)], [70f, 70f])));

            var assignments = new AssignmentStore(DataSource);
            await assignments.AssignAsync("m-both", [(Box, 1), (Box, 2)], T.AddHours(-1));
            await assignments.AssignAsync("m-half", [(Box, 3), ("box-silent", 1)], T.AddHours(-1));
            await assignments.AssignAsync("m-move", [(Box, 4)], T.AddHours(-1));
            await assignments.AssignAsync("m-move", [(Box, 5)], T.AddSeconds(14.5));
        }

        public Task DisposeAsync() => _database.DisposeAsync();

        /// <summary>Frames k of a 10 ms grid from <paramref name="start"/>, 6 plugs: sockets 1, 3, 4 at the first power, 2 and 5 at the second.</summary>
        private static SampleBlock Block(string box, DateTimeOffset start, int[] frames, float[] watts)
        {
            const int plugs = 6;
            var startUs = (start - DateTimeOffset.UnixEpoch).Ticks / 10;
            float[] perSocket = [watts[0], watts[1], watts[0], watts[0], watts[1], 0f];
            return new SampleBlock(
                box,
                "edge-source",
                1,
                "edge-writer",
                "edge-host",
                plugs,
                [.. frames.Select(k => startUs + (k * 10_000L))],
                [.. frames.Select(k => k & 0xFFFF)],
                [.. frames.Select(_ => true)],
                [.. frames.SelectMany(_ => new[] { 230f, 0f, 0f })],
                [.. frames.SelectMany(_ => perSocket.Select(w => w / 230f))],
                [.. frames.SelectMany(_ => perSocket)]);
        }
    }
}
