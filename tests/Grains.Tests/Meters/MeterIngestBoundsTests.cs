using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Tests.Support;
using Fleet.Storage.Energy;
using Fleet.Tests.Common;

namespace Fleet.Grains.Tests.Meters;

/// <summary>
/// What a meter refuses for good, what it takes as already stored, and who may feed a box:
/// the reliability rules of ingest, on a real in-process cluster and a real PostgreSQL.
/// </summary>
public sealed class MeterIngestBoundsTests : IClassFixture<FleetClusterFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 11, 0, 0, TimeSpan.Zero);
    private readonly FleetClusterFixture _cluster;
    private readonly ExpectedCapture _clean = Fixtures.Expected("clean-6plugs");

    public MeterIngestBoundsTests(FleetClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task IngestAsync_SameFramesFromAnotherRunOfTheSameCapture_AlreadyStoredNothingWritten()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-replayed");
        var first = Batches(_clean, Start, "run-1", writerId: "agent-a");
        foreach (var batch in first)
        {
            await meter.IngestAsync(batch);
        }

        // The same replay again, even from another agent: a new source id, other batch boundaries, same frames.
        var again = Batches(_clean, Start, "run-2", framesPerBatch: 70, writerId: "agent-b");
        var results = new List<IngestResult>();
        foreach (var batch in again)
        {
            results.Add(await meter.IngestAsync(batch));
        }

        Assert.All(results, r => Assert.Equal(IngestOutcome.Duplicate, r.Outcome));
        Assert.Equal(_clean.Rows.Count, results.Sum(r => r.FramesAlreadyStored));
        Assert.Equal(_clean.Rows.Count, await StoredFramesAsync("box-replayed"));
        await AssertEnergyAsync("box-replayed", Start, _clean);
    }

    [Fact]
    public async Task IngestAsync_BatchPartlyStored_StoresOnlyTheNewFrames()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-partial");
        var batches = Batches(_clean, Start, "run-1", framesPerBatch: 1000, writerId: "agent");
        await meter.IngestAsync(batches[0]);

        // The same agent's replay restarted: its first batch holds the 1000 stored frames and 500 new ones.
        var restarted = Batches(_clean, Start, "run-2", framesPerBatch: 1500, writerId: "agent");
        var result = await meter.IngestAsync(restarted[0]);

        Assert.Equal(new IngestResult(IngestOutcome.Stored, 500, 1000), result);
        Assert.Equal(1500, await StoredFramesAsync("box-partial"));
    }

    [Fact]
    public async Task IngestAsync_OtherFramesInAStoredPeriod_RefusedForGoodAndLaterBatchesStored()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-conflict");
        var batches = Batches(_clean, Start, "run-1");
        await meter.IngestAsync(batches[0]);
        await meter.IngestAsync(batches[1]);

        // The same frames 5 ms later: another stream over a stored period would double its energy.
        var shifted = Batches(_clean, Start.AddMilliseconds(5), "run-2")[0];
        var error = await Assert.ThrowsAsync<RequestRejectedException>(() => meter.IngestAsync(shifted).AsTask());

        Assert.Contains("already has frames between", error.Message, StringComparison.Ordinal);
        var next = await meter.IngestAsync(batches[2]);
        Assert.Equal(IngestOutcome.Stored, next.Outcome);
        Assert.Equal(300, await StoredFramesAsync("box-conflict"));
        Assert.Equal(1, (await meter.GetHealthAsync()).BatchesRejected);
    }

    [Fact]
    public async Task IngestAsync_SecondAgentOnTheBox_RefusedNamingTheFirstUntilItIsSilentThenTakesOver()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-two-agents");
        var first = Batches(_clean, Start, "host-a/run", writerId: "host-a/writer", host: "host-a");
        var second = Batches(_clean, Start, "host-b/run", writerId: "host-b/writer", host: "host-b");
        await meter.IngestAsync(first[0]);
        await meter.IngestAsync(first[1]);

        // Host b's identical frames are harmless; its new ones would double the box.
        Assert.Equal(IngestOutcome.Duplicate, (await meter.IngestAsync(second[0])).Outcome);
        var refused = await Assert.ThrowsAsync<BoxWriterConflictException>(() => meter.IngestAsync(second[2]).AsTask());
        Assert.Contains("fed by the agent on host-a", refused.Message, StringComparison.Ordinal);

        // Once host a has been silent for the takeover time, host b feeds the box.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IngestResult? taken = null;
        while (taken is null)
        {
            try
            {
                taken = await meter.IngestAsync(second[2]);
            }
            catch (BoxWriterConflictException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal(IngestOutcome.Stored, taken.Outcome);
        var refusedNow = await Assert.ThrowsAsync<BoxWriterConflictException>(() => meter.IngestAsync(first[3]).AsTask());
        Assert.Contains("fed by the agent on host-b", refusedNow.Message, StringComparison.Ordinal);
        Assert.Equal(300, await StoredFramesAsync("box-two-agents"));
    }

    [Fact]
    public async Task IngestAsync_NegativePlugCountOnANewBox_InvalidAndRealBatchesStillStored()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-minus-five");
        var empty = Batches(_clean, Start, "evil")[0] with { Plugs = -5, TimesUnixMicroseconds = [], FrameIds = [], Valid = [], VoltagesVolts = [], CurrentsAmperes = [], PowersWatts = [] };

        var error = await Assert.ThrowsAsync<InvalidBatchException>(() => meter.IngestAsync(empty).AsTask());

        Assert.Contains("a box has 6 to 48 plugs", error.Message, StringComparison.Ordinal);
        Assert.Equal(IngestOutcome.Stored, (await meter.IngestAsync(Batches(_clean, Start, "agent")[0])).Outcome);
        Assert.Equal(6, (await meter.GetHealthAsync()).Plugs);
    }

    [Fact]
    public async Task IngestAsync_MoreFramesInASecondThanABoxSends_InvalidWithTheLimit()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-crowded");
        // 1000 frames 1 ms apart: 1000 frames in one second.
        var crowded = Retimed(Batches(_clean, Start, "crowded", framesPerBatch: 1000)[0], Start, stepMicroseconds: 1000);

        var error = await Assert.ThrowsAsync<InvalidBatchException>(() => meter.IngestAsync(crowded).AsTask());

        Assert.Contains("more than 120 frames in the second", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await StoredFramesAsync("box-crowded"));
    }

    [Fact]
    public async Task IngestAsync_SecondOverfilledAcrossTwoBatches_RefusedByTheStoredCount()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-crowded-twice");
        // Two batches of 80 frames 5 ms apart, the second starting where the first left off
        // within the same second: each alone is within bounds, together 160 in one second.
        var frames = Batches(_clean, Start, "twice", framesPerBatch: 80);
        var a = Retimed(frames[0], Start, stepMicroseconds: 5000);
        var b = Retimed(frames[1], Start.AddMilliseconds(402.5), stepMicroseconds: 5000);
        await meter.IngestAsync(a);

        var error = await Assert.ThrowsAsync<InvalidBatchException>(() => meter.IngestAsync(b).AsTask());

        Assert.Contains("more than 120 frames of the box in one second", error.Message, StringComparison.Ordinal);
        Assert.Equal(80, await StoredFramesAsync("box-crowded-twice"));
    }

    [Theory]
    [InlineData(-1L, "the time is outside what Fleet stores (1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z)")]
    [InlineData(7_258_118_400_000_000L, "the time is outside what Fleet stores (1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z)")]
    public async Task IngestAsync_TimeOutsideTheRange_Invalid(long firstUnixMicroseconds, string message)
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-time-range");
        var batch = Batches(_clean, Start, "range")[0];
        var shifted = batch with { TimesUnixMicroseconds = [.. batch.TimesUnixMicroseconds.Select((_, k) => firstUnixMicroseconds + (k * 10_000L))] };

        var error = await Assert.ThrowsAsync<InvalidBatchException>(() => meter.IngestAsync(shifted).AsTask());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_BatchOverTheFrameLimit_Invalid()
    {
        var meter = _cluster.Grains.GetGrain<IMeterGrain>("box-huge");
        var huge = Retimed(Batches(Fixtures.Expected("clean-6plugs"), Start, "huge", framesPerBatch: 3000)[0], Start, stepMicroseconds: 10_000);
        var doubled = huge with
        {
            TimesUnixMicroseconds = [.. Enumerable.Range(0, 4 * huge.Count).Select(k => huge.TimesUnixMicroseconds[0] + (k * 10_000L))],
            FrameIds = [.. Enumerable.Range(0, 4 * huge.Count)],
            Valid = [.. Enumerable.Repeat(huge.Valid, 4).SelectMany(v => v)],
            VoltagesVolts = [.. Enumerable.Repeat(huge.VoltagesVolts, 4).SelectMany(v => v)],
            CurrentsAmperes = [.. Enumerable.Repeat(huge.CurrentsAmperes, 4).SelectMany(v => v)],
            PowersWatts = [.. Enumerable.Repeat(huge.PowersWatts, 4).SelectMany(v => v)],
        };

        var error = await Assert.ThrowsAsync<InvalidBatchException>(() => meter.IngestAsync(doubled).AsTask());

        Assert.Contains("12000 frames in one batch; at most 10000", error.Message, StringComparison.Ordinal);
    }

    private static List<FrameBatch> Batches(ExpectedCapture capture, DateTimeOffset start, string sourceId, int framesPerBatch = 100, string? writerId = null, string host = "test-host") =>
        [.. FixtureBatches.FromCapture(File.ReadAllBytes(capture.CapturePath), start, framesPerBatch, sourceId, writerId).Select(b => b with { AgentHost = host })];

    private static FrameBatch Retimed(FrameBatch batch, DateTimeOffset start, long stepMicroseconds)
    {
        var startUs = (start - DateTimeOffset.UnixEpoch).Ticks / 10;
        return batch with { TimesUnixMicroseconds = [.. Enumerable.Range(0, batch.Count).Select(k => startUs + (k * stepMicroseconds))] };
    }

    private async Task<long> StoredFramesAsync(string box)
    {
        await using var count = _cluster.DataSource.CreateCommand("SELECT coalesce(sum(frames), 0) FROM sample_chunks WHERE box_id = $1");
        count.Parameters.AddWithValue(box);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task AssertEnergyAsync(string box, DateTimeOffset start, ExpectedCapture expected)
    {
        var energy = new EnergyQueries(_cluster.DataSource);
        for (var socket = 1; socket <= expected.Plugs; socket++)
        {
            var result = await energy.GetSocketEnergyAsync(box, socket, start, start.AddMinutes(1));
            Assert.Equal(expected.EnergyJoules[socket - 1], result.Joules, Math.Max(1e-6, 1e-4 * expected.EnergyJoules[socket - 1]));
        }
    }
}
