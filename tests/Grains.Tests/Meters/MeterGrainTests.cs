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
            Assert.Equal(IngestOutcome.Stored, await meter.IngestAsync(batch));
        }

        // A retry of an acknowledged batch (the agent lost the ack) is not stored twice.
        Assert.Equal(IngestOutcome.Duplicate, await meter.IngestAsync(batches[3]));

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
}
