using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.AgentHost.Tests.Spooling;

public sealed class SpoolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-spool-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AppendPeekAcknowledge_InOrder_DeletesFullyAcknowledgedSegments()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 3 });
        var batches = Enumerable.Range(1, 7).Select(k => Batch(k)).ToList();
        batches.ForEach(b => Assert.True(spool.Append(b)));
        Assert.Equal(3, Directory.GetFiles(_directory).Length);

        for (var k = 0; k < 4; k++)
        {
            var next = spool.Peek();
            Assert.Equal(k + 1, next!.Sequence);
            spool.Acknowledge(next);
        }

        // Segment 1 (batches 1-3) is gone; segment 2 still holds unacknowledged 5 and 6.
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
        Assert.Equal(3, spool.Pending);
        Assert.Equal(5, spool.Peek()!.Sequence);
    }

    [Fact]
    public void Reopen_AfterCrash_ReplaysUnacknowledgedBatchesBitExact()
    {
        var original = Batch(1, plugs: 12, frames: 100);
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(original);
            spool.Append(Batch(2));
        }

        using var reopened = new Spool(new SpoolOptions { Directory = _directory });

        Assert.Equal(2, reopened.Pending);
        var replayed = reopened.Peek()!;
        Assert.Equal(original.SourceId, replayed.SourceId);
        Assert.Equal(original.Plugs, replayed.Plugs);
        Assert.Equal(original.TimesUnixMicroseconds, replayed.TimesUnixMicroseconds);
        Assert.Equal(original.FrameIds, replayed.FrameIds);
        Assert.Equal(original.Valid, replayed.Valid);
        Assert.Equal(original.PowersWatts, replayed.PowersWatts);
        Assert.Equal(original.CurrentsAmperes, replayed.CurrentsAmperes);
        Assert.Equal(original.VoltagesVolts, replayed.VoltagesVolts);
        Assert.Equal(original.FramesMissingById, replayed.FramesMissingById);
    }

    [Fact]
    public void Reopen_TornLastRecord_KeepsTheBatchesBeforeItAndCountsIt()
    {
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(Batch(1));
            spool.Append(Batch(2));
        }

        var file = Directory.GetFiles(_directory).Single();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);

        using var reopened = new Spool(new SpoolOptions { Directory = _directory });

        Assert.Equal(1, reopened.Pending);
        Assert.Equal(1, reopened.TornRecords);
        Assert.Equal(1, reopened.Peek()!.Sequence);
    }

    [Fact]
    public void Append_OverBudget_RefusedAndCounted()
    {
        var size = new Spool(new SpoolOptions { Directory = Path.Combine(_directory, "probe") }).Append(Batch(1)) ? new DirectoryInfo(Path.Combine(_directory, "probe")).GetFiles().Single().Length : 0;
        using var spool = new Spool(new SpoolOptions { Directory = Path.Combine(_directory, "small"), MaxBytes = (2 * size) + 10 });

        Assert.True(spool.Append(Batch(1)));
        Assert.True(spool.Append(Batch(2)));
        Assert.False(spool.Append(Batch(3)));

        Assert.Equal(1, spool.BatchesRefused);
        Assert.Equal(2, spool.Pending);
        Assert.True(spool.IsNearlyFull);
    }

    private static FrameBatch Batch(long sequence, int plugs = 6, int frames = 10)
    {
        var random = new Random((int)sequence);
        return new FrameBatch(
            "host/box/run",
            sequence,
            plugs,
            [.. Enumerable.Range(0, frames).Select(k => 1_764_064_800_000_000L + (((sequence * frames) + k) * 10_000))],
            [.. Enumerable.Range(0, frames).Select(k => (int)((sequence * frames) + k) & 0xFFFF)],
            [.. Enumerable.Range(0, frames).Select(k => k % 7 != 3)],
            [.. Enumerable.Range(0, 3 * frames).Select(_ => (float)(230 + random.NextDouble()))],
            [.. Enumerable.Range(0, plugs * frames).Select(_ => (float)random.NextDouble())],
            [.. Enumerable.Range(0, plugs * frames).Select(_ => (float)(random.NextDouble() * 300))],
            sequence,
            0,
            "host",
            "host-writer");
    }
}
