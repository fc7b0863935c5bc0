using System.Text.Json;
using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.AgentHost.Tests.Spooling.TestBatches;

namespace Fleet.AgentHost.Tests.Pushing;

public sealed class BatchPusherQuarantineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-pusher-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_BatchRefusedForGood_QuarantinesItAndSendsTheRest()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory });
        for (var k = 1; k <= 3; k++)
        {
            spool.Append(Create(k));
        }

        var meter = new RefusingMeter(refused: 2);
        // One batch per call: this fake refuses by sequence, which a merged call would hide.
        var pusher = new BatchPusher(spool, _ => Task.FromResult<IMeterGrain>(meter), NullLogger<BatchPusher>.Instance, maxFramesPerCall: 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await pusher.RunAsync(() => true, timeout.Token, untilEmpty: true);

        Assert.Equal([1, 2, 3], meter.Offered);
        Assert.Equal(0, spool.Pending);
        Assert.Equal(1, spool.BatchesQuarantined);
        var reason = Directory.GetFiles(spool.RejectedDirectory, "*.json").Single();
        using var json = JsonDocument.Parse(File.ReadAllText(reason));
        Assert.Equal("plug count changed from 6 to 12", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("sequence").GetInt64());
    }

    /// <summary>A meter that stores every batch but one, which it refuses for good.</summary>
    private sealed class RefusingMeter(long refused) : IMeterGrain
    {
        public List<long> Offered { get; } = [];

        public ValueTask<IngestResult> IngestAsync(FrameBatch batch)
        {
            Offered.Add(batch.Sequence);
            return batch.Sequence == refused
                ? throw new RequestRejectedException("plug count changed from 6 to 12")
                : ValueTask.FromResult(new IngestResult(IngestOutcome.Stored, batch.Count, 0));
        }

        public ValueTask<MeterHealth> GetHealthAsync() => throw new NotSupportedException();

        public ValueTask ReportAgentHealthAsync(AgentHealth health) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds) => throw new NotSupportedException();
    }
}
