using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions.Messages;
using static Fleet.AgentHost.Tests.Spooling.TestBatches;

namespace Fleet.AgentHost.Tests.Spooling;

public sealed class SpoolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-spool-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AppendPeekAcknowledge_InOrder_DeletesFullyAcknowledgedSegments()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 3 });
        var batches = Enumerable.Range(1, 7).Select(k => Create(k)).ToList();
        batches.ForEach(b => Assert.True(spool.Append(b)));
        Assert.Equal(3, SegmentFiles().Length);
        Assert.Equal(70, spool.PendingFrames);

        for (var k = 0; k < 4; k++)
        {
            var next = spool.Peek();
            Assert.Equal(k + 1, next!.Sequence);
            AssertSame(batches[k], next);
            spool.Acknowledge(next);
        }

        // Segment 1 (batches 1-3) is gone; segment 2 still holds unacknowledged 5 and 6.
        Assert.Equal(2, SegmentFiles().Length);
        Assert.Equal(3, spool.Pending);
        Assert.Equal(30, spool.PendingFrames);
        Assert.Equal(5, spool.Peek()!.Sequence);
        Assert.Equal(4 * FrameBatchCodec.Encode(batches[0]).Length, spool.Bytes);
    }

    [Fact]
    public void Peek_Twice_ReturnsTheSameBatchWithoutReadingAgain()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory });
        spool.Append(Create(1));

        Assert.Same(spool.Peek(), spool.Peek());
    }

    [Fact]
    public void Acknowledge_OutOfOrderAndUnknown_KeepsTheRestInOrder()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 2 });
        for (var k = 1; k <= 5; k++)
        {
            spool.Append(Create(k));
        }

        spool.Acknowledge(Create(4));
        spool.Acknowledge(Create(3));
        spool.Acknowledge(Create(99));
        spool.Acknowledge(Create(1, sourceId: "another/run"));

        // Segment 2 (3 and 4) was fully acknowledged out of order and deleted at once.
        Assert.Equal(3, spool.Pending);
        Assert.Equal(2, SegmentFiles().Length);
        Assert.Equal([1, 2, 5], Drain(spool));
        Assert.Equal(0, spool.Pending);
    }

    [Fact]
    public void Reopen_AfterCrash_ReplaysUnacknowledgedBatchesBitExact()
    {
        var original = Create(1, plugs: 12, frames: 100);
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(original);
            spool.Append(Create(2));
        }

        using var reopened = new Spool(new SpoolOptions { Directory = _directory });

        Assert.Equal(2, reopened.Pending);
        Assert.Equal(110, reopened.PendingFrames);
        Assert.Equal(0, reopened.TornRecords);
        AssertSame(original, reopened.Peek()!);
    }

    [Fact]
    public void Reopen_AfterAcknowledgements_SendsOnlyWhatWasNotAcknowledged()
    {
        using (var spool = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 3 }))
        {
            for (var k = 1; k <= 5; k++)
            {
                spool.Append(Create(k));
            }

            spool.Acknowledge(spool.Peek()!);
            spool.Acknowledge(spool.Peek()!);
        }

        using var reopened = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 3 });

        Assert.Equal(3, reopened.Pending);
        Assert.Equal(30, reopened.PendingFrames);
        Assert.Equal([3, 4, 5], Drain(reopened));
    }

    [Fact]
    public void Reopen_MarkUnreadable_SendsEverythingAgain()
    {
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(Create(1));
            spool.Append(Create(2));
            spool.Acknowledge(spool.Peek()!);
        }

        File.WriteAllText(Path.Combine(_directory, "acknowledged"), "garbage");
        using var reopened = new Spool(new SpoolOptions { Directory = _directory });

        // Resending is safe (the meter drops what it has); skipping would not be.
        Assert.Equal([1, 2], Drain(reopened));
    }

    [Fact]
    public void Reopen_TornLastRecord_KeepsTheBatchesBeforeItCutsTheTailAndCountsItOnce()
    {
        var recordLength = FrameBatchCodec.Encode(Create(1)).Length;
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(Create(1));
            spool.Append(Create(2));
        }

        var file = SegmentFiles().Single();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);

        using (var reopened = new Spool(new SpoolOptions { Directory = _directory }))
        {
            Assert.Equal(1, reopened.Pending);
            Assert.Equal(1, reopened.TornRecords);
            Assert.Equal(recordLength, new FileInfo(file).Length);
            Assert.Equal(recordLength, reopened.Bytes);
            Assert.True(reopened.Append(Create(3)));
        }

        using var again = new Spool(new SpoolOptions { Directory = _directory });
        Assert.Equal(0, again.TornRecords);
        Assert.Equal([1, 3], Drain(again));
    }

    [Fact]
    public void Reopen_CorruptRecordInAnOlderSegment_StopsThatSegmentOnly()
    {
        using (var spool = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 3 }))
        {
            for (var k = 1; k <= 9; k++)
            {
                spool.Append(Create(k));
            }
        }

        var oldest = SegmentFiles()[0];
        var bytes = File.ReadAllBytes(oldest);
        var recordLength = bytes.Length / 3;
        bytes[recordLength + 40] ^= 0xFF;
        File.WriteAllBytes(oldest, bytes);

        using var reopened = new Spool(new SpoolOptions { Directory = _directory, BatchesPerSegment = 3 });

        Assert.Equal(1, reopened.TornRecords);
        Assert.Equal(7, reopened.Pending);
        // An older segment is never appended to: it stays as it is until its batches are acknowledged.
        Assert.Equal(bytes.Length, new FileInfo(oldest).Length);
        Assert.Equal([1, 4, 5, 6, 7, 8, 9], Drain(reopened));
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public void Reopen_SegmentOfVersion1Records_ReadsThemWithTheSourceAsWriter()
    {
        var batch = Create(7, plugs: 6, frames: 100);
        File.WriteAllBytes(Path.Combine(_directory, "20261125T100000000-000000000007.spool"), EncodeVersion1(batch));

        using var spool = new Spool(new SpoolOptions { Directory = _directory });

        Assert.Equal(1, spool.Pending);
        Assert.Equal(0, spool.TornRecords);
        var read = spool.Peek()!;
        Assert.Equal(batch.SourceId, read.WriterId);
        AssertSame(batch with { WriterId = batch.SourceId }, read);
    }

    [Fact]
    public void Append_AfterAnOldSegmentWithALaterName_NamesTheNewSegmentAfterIt()
    {
        // As if the clock stepped back since the earlier run: replay order is name order.
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(Create(1));
        }

        var future = Path.Combine(_directory, "29991231T235959000-000000000001.spool");
        File.Move(SegmentFiles().Single(), future);

        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(Create(2));
        }

        Assert.Equal([future, Path.Combine(_directory, "29991231T235959001-000000000002.spool")], SegmentFiles());
    }

    [Fact]
    public void Peek_RecordDamagedOnDiskAfterAppend_SkipsAndCountsIt()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory });
        spool.Append(Create(1));
        spool.Append(Create(2));
        var file = SegmentFiles().Single();
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Position = 50;
            stream.WriteByte(0xAA);
        }

        Assert.Equal(2, spool.Peek()!.Sequence);
        Assert.Equal(1, spool.BatchesUnreadable);
        Assert.Equal(1, spool.Pending);
    }

    [Fact]
    public void PeekMany_SeveralPending_ConsecutiveBatchesOfOneSourceUpToTheFrameLimit()
    {
        using var spool = new Spool(new SpoolOptions { Directory = Path.Combine(_directory, "many"), BatchesPerSegment = 4 });
        for (var k = 1; k <= 6; k++)
        {
            spool.Append(TestBatches.Create(k));
        }

        spool.Append(TestBatches.Create(7, sourceId: "host/box/next-run"));

        // 10 frames each: 35 frames take three batches, across the segment boundary after 4.
        Assert.Equal([1L, 2, 3], spool.PeekMany(35).Select(b => b.Sequence));
        Assert.Equal([1L], spool.PeekMany(1).Select(b => b.Sequence));
        foreach (var batch in spool.PeekMany(35))
        {
            spool.Acknowledge(batch);
        }

        Assert.Equal([4L, 5, 6], spool.PeekMany(1000).Select(b => b.Sequence));
        Assert.All(spool.PeekMany(1000).Zip([4L, 5, 6]), pair => TestBatches.AssertSame(TestBatches.Create(pair.Second), pair.First));
        foreach (var batch in spool.PeekMany(1000))
        {
            spool.Acknowledge(batch);
        }

        // Another source never joins: its sequences are its own.
        Assert.Equal([7L], spool.PeekMany(1000).Select(b => b.Sequence));
    }

    [Fact]
    public void Append_OverBudget_RefusedAndCounted()
    {
        var size = FrameBatchCodec.Encode(Create(1)).Length;
        using var spool = new Spool(new SpoolOptions { Directory = _directory, MaxBytes = (2 * size) + 10 });

        Assert.True(spool.Append(Create(1)));
        Assert.True(spool.Append(Create(2)));
        Assert.False(spool.Append(Create(3)));

        Assert.Equal(1, spool.BatchesRefused);
        Assert.Equal(10, spool.FramesRefused);
        Assert.Equal(0, spool.WriteFailures);
        Assert.Equal(2, spool.Pending);
        Assert.True(spool.IsNearlyFull);
    }

    [Fact]
    public void Quarantine_RefusedBatch_WritesBatchAndReasonAndLeavesTheQueue()
    {
        var before = DateTimeOffset.UtcNow;
        var refused = Create(1, frames: 100);
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            spool.Append(refused);
            spool.Append(Create(2));

            Assert.True(spool.Quarantine(spool.Peek()!, "plug count changed from 6 to 12"));

            Assert.Equal(1, spool.BatchesQuarantined);
            Assert.Equal(1, spool.QuarantinedOnDisk);
            Assert.Equal(0, spool.QuarantineWriteFailures);
            Assert.Equal(1, spool.Pending);
            Assert.Equal(2, spool.Peek()!.Sequence);
            // The pusher acknowledges after quarantining: a no-op.
            spool.Acknowledge(refused);
            Assert.Equal(1, spool.Pending);
        }

        var rejected = Path.Combine(_directory, "rejected");
        var files = Directory.GetFiles(rejected).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, files.Length);
        Assert.EndsWith("-000000000001.batch", files[0], StringComparison.Ordinal);
        Assert.Equal(Path.ChangeExtension(files[0], ".json"), files[1]);
        Assert.True(FrameBatchCodec.TryDecode(File.ReadAllBytes(files[0]), out var stored, out _));
        AssertSame(refused, stored!);

        using var reason = JsonDocument.Parse(File.ReadAllText(files[1]));
        var root = reason.RootElement;
        Assert.Equal("plug count changed from 6 to 12", root.GetProperty("reason").GetString());
        Assert.Equal(refused.SourceId, root.GetProperty("sourceId").GetString());
        Assert.Equal(1, root.GetProperty("sequence").GetInt64());
        Assert.Equal(100, root.GetProperty("frames").GetInt32());
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(refused.TimesUnixMicroseconds[0] * 10), root.GetProperty("firstFrameUtc").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(refused.TimesUnixMicroseconds[^1] * 10), root.GetProperty("lastFrameUtc").GetDateTimeOffset());
        Assert.InRange(root.GetProperty("refusedUtc").GetDateTimeOffset(), before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(Path.GetFileName(files[0]), root.GetProperty("batchFile").GetString());

        // rejected/ is never read as segments, even a file with the segment extension.
        File.Copy(files[0], Path.Combine(rejected, "20000101T000000000-000000000001.spool"));
        using var reopened = new Spool(new SpoolOptions { Directory = _directory });
        Assert.Equal(0, reopened.BatchesQuarantined);
        Assert.Equal(1, reopened.QuarantinedOnDisk);
        Assert.Equal([2], Drain(reopened));
    }

    [Fact]
    public void Quarantine_SameSequenceTwiceInOneMillisecond_KeepsBothPairsInOrder()
    {
        using var spool = new Spool(new SpoolOptions { Directory = _directory });
        spool.Append(Create(1));
        spool.Append(Create(1, sourceId: "host/box/other-run"));

        spool.Quarantine(spool.Peek()!, "first");
        spool.Quarantine(spool.Peek()!, "second");

        var reasons = Directory.GetFiles(Path.Combine(_directory, "rejected"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("reason").GetString()!).ToArray();
        Assert.Equal(["first", "second"], reasons);
        Assert.Equal(0, spool.Pending);
    }

    private string[] SegmentFiles() => [.. Directory.GetFiles(_directory, "*.spool").Order(StringComparer.Ordinal)];

    /// <summary>A record as agents before writer ids wrote it.</summary>
    private static byte[] EncodeVersion1(FrameBatch batch)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write(batch.SourceId);
            writer.Write(batch.AgentHost);
            writer.Write(batch.Sequence);
            writer.Write(batch.Plugs);
            writer.Write(batch.Count);
            writer.Write(batch.FramesMissingById);
            writer.Write(batch.FramesBadCheck);
            writer.Write(MemoryMarshal.AsBytes(batch.TimesUnixMicroseconds.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.FrameIds.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.Valid.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.VoltagesVolts.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.CurrentsAmperes.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(batch.PowersWatts.AsSpan()));
        }

        var body = payload.ToArray();
        var record = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(record, 8);
        return record;
    }
}
