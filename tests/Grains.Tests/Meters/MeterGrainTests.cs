using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Tests.Support;
using Fleet.Storage.Energy;
using Fleet.Tests.Common;

namespace Fleet.Grains.Tests.Meters;

public sealed class MeterGrainTests : IClassFixture<FleetClusterFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, 3, TimeSpan.Zero);
    private readonly FleetClusterFixture _cluster;

    public MeterGrainTests(FleetClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task IngestAsync_NoisyFixture_StoresEveryFrameOnceWithExactEnergy()
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        var batches = FixtureBatches.FromCapture(File.ReadAllBytes(expected.CapturePath), Start);
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-noisy");

        foreach (var batch in batches)
        {
            Assert.Equal(IngestOutcome.Stored, (await meter.IngestAsync(batch)).Outcome);
        }

        // A retry of an acknowledged batch (the agent lost the ack) is not stored twice.
        Assert.Equal(IngestOutcome.Duplicate, (await meter.IngestAsync(batches[3])).Outcome);

        var health = await meter.GetHealthAsync();
        Assert.Equal(expected.FramesValid + expected.FramesInvalid, health.FramesStored);
        Assert.Equal(expected.FramesMissingById, health.FramesMissingById);
        Assert.Equal(6, health.Plugs);
        Assert.Equal("test-host", health.AgentHost);
        var energy = new EnergyQueries(_cluster.DataSource);
        for (var socket = 1; socket <= 6; socket++)
        {
            var result = await energy.GetSocketEnergyAsync("box-noisy", socket, Start, Start.AddMinutes(1));
            Assert.Equal(expected.EnergyJoules[socket - 1], result.Joules, Math.Max(1e-6, 1e-4 * expected.EnergyJoules[socket - 1]));
        }
    }

    [Fact]
    public async Task GetHealthAsync_FramesStoredBeforeTheMeterStarted_LastFrameAndSourceReadFromStorage()
    {
        // As after a silo restart: the frames are in PostgreSQL, this meter has never seen a batch.
        var startUs = (Start - DateTimeOffset.UnixEpoch).Ticks / 10;
        var block = new Fleet.Storage.Samples.SampleBlock(
            "box-restarted", "agent-before", 1, "writer-before", "host-before", 6,
            [.. Enumerable.Range(0, 10).Select(k => startUs + (k * 10_000L))],
            [.. Enumerable.Range(0, 10)],
            [.. Enumerable.Repeat(true, 10)],
            new float[30],
            new float[60],
            new float[60]);
        Assert.True(await new Fleet.Storage.Samples.SampleWriter(_cluster.DataSource).WriteAsync(block));

        var health = await _cluster.Grains.GetGrain<IMeterGrain>("box-restarted").GetHealthAsync();

        Assert.Equal(Start.AddMilliseconds(90), health.LastFrameTime);
        Assert.Equal("host-before", health.AgentHost);
    }

    [Fact]
    public async Task IngestAsync_PlugCountChanges_RejectedWithClearError()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-plugs");
        var six = FixtureBatches.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-6plugs")), Start);
        var thirtySix = FixtureBatches.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-36plugs")), Start.AddMinutes(5), sourceId: "agent-2");
        await meter.IngestAsync(six[0]);

        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => meter.IngestAsync(thirtySix[0]).AsTask());

        Assert.Contains("has 6 plugs; this batch has 36", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, (await meter.GetHealthAsync()).FramesStored);
    }

    [Fact]
    public async Task GetRecentAsync_AfterCleanFixture_PerSecondMeansEqualTheFrames()
    {
        var expected = Fixtures.Expected("clean-6plugs");
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-live");
        // 50-frame batches, so each second is assembled from two batches.
        foreach (var batch in FixtureBatches.FromCapture(File.ReadAllBytes(expected.CapturePath), Start, framesPerBatch: 50))
        {
            await meter.IngestAsync(batch);
        }

        var recent = await meter.GetRecentAsync(10);

        Assert.Equal(10, recent.Count);
        // Frames run from 09:00:00.003 to 09:00:29.993: the last ten whole seconds are 20..29.
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 0, 20, TimeSpan.Zero), recent[0].Second);
        Assert.All(recent, s => Assert.Equal(100, s.Frames));
        // The last second holds fixture frames 2900..2999.
        var mean = expected.Rows.Skip(2900).Take(100).Average(r => r.Values[3 + 6 + 2]);
        Assert.Equal(mean, recent[^1].MeanPowerWatts[2], 1e-3);
    }
}
