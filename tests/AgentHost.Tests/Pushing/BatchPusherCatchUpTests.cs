using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.AgentHost.Tests.Spooling.TestBatches;

namespace Fleet.AgentHost.Tests.Pushing;

/// <summary>An agent catching up sends many spooled batches per call; a refusal in such a call isolates the culprit.</summary>
public sealed class BatchPusherCatchUpTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-pusher-catchup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_ManyBatchesWaiting_SendsThemInFewCallsWithEveryFrameInOrder()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory });
        for (var k = 1; k <= 50; k++)
        {
            spool.Append(Create(k));
        }

        var meter = new RecordingMeter();
        var pusher = new BatchPusher(spool, _ => Task.FromResult<IMeterGrain>(meter), NullLogger<BatchPusher>.Instance, maxFramesPerCall: 200);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await pusher.RunAsync(() => true, timeout.Token, untilEmpty: true);

        // 50 batches of 10 frames, 200 frames a call: 3 calls, the last sequence of each as its own.
        Assert.Equal([20L, 40, 50], meter.Calls.Select(c => c.Sequence));
        Assert.Equal(Enumerable.Range(1, 50).SelectMany(k => Create(k).TimesUnixMicroseconds), meter.Calls.SelectMany(c => c.TimesUnixMicroseconds));
        Assert.Equal(Enumerable.Range(1, 50).SelectMany(k => Create(k).PowersWatts), meter.Calls.SelectMany(c => c.PowersWatts));
        Assert.Equal(50, pusher.BatchesSent);
        Assert.Equal(0, spool.Pending);
    }

    [Fact]
    public async Task RunAsync_MergedCallRefusedForGood_SendsItsBatchesOneByOneAndQuarantinesOnlyTheCulprit()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory });
        for (var k = 1; k <= 10; k++)
        {
            spool.Append(Create(k));
        }

        var meter = new RecordingMeter(refusedSequence: 4);
        var pusher = new BatchPusher(spool, _ => Task.FromResult<IMeterGrain>(meter), NullLogger<BatchPusher>.Instance, maxFramesPerCall: 1000);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await pusher.RunAsync(() => true, timeout.Token, untilEmpty: true);

        Assert.Equal(1, spool.BatchesQuarantined);
        Assert.Equal(1, pusher.BatchesQuarantined);
        Assert.Equal([.. Enumerable.Range(1, 10).Where(k => k != 4).Select(k => (long)k)], meter.StoredSequences);
        Assert.Equal(0, spool.Pending);
    }

    /// <summary>A meter that records each call; it refuses any call holding the frames of one sequence.</summary>
    private sealed class RecordingMeter(long refusedSequence = -1) : IMeterGrain
    {
        private readonly long[] _refusedTimes = refusedSequence < 0 ? [] : Create(refusedSequence).TimesUnixMicroseconds;

        public List<FrameBatch> Calls { get; } = [];

        public List<long> StoredSequences { get; } = [];

        public ValueTask<IngestResult> IngestAsync(FrameBatch batch)
        {
            if (_refusedTimes.Length > 0 && batch.TimesUnixMicroseconds.Contains(_refusedTimes[0]))
            {
                throw new InvalidBatchException("refused for the test");
            }

            Calls.Add(batch);
            StoredSequences.AddRange(Enumerable.Range(1, 10).Select(k => (long)k).Where(k => batch.TimesUnixMicroseconds.Contains(Create(k).TimesUnixMicroseconds[0])));
            return ValueTask.FromResult(new IngestResult(IngestOutcome.Stored, batch.Count, 0));
        }

        public ValueTask<MeterHealth> GetHealthAsync() => throw new NotSupportedException();

        public ValueTask ReportAgentHealthAsync(AgentHealth health) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds) => throw new NotSupportedException();
    }
}
