using Fleet.AgentHost.Spooling;
using Fleet.Tests.Common;
using static Fleet.AgentHost.Tests.Spooling.TestBatches;

namespace Fleet.AgentHost.Tests.Spooling;

/// <summary>The spool on a real filesystem that fills up: never an exception, the newest batches dropped and counted.</summary>
public sealed class SpoolFullDiskTests
{
    private const int Frames = 100;

    [Fact]
    public void Append_SmallFilesystemFills_RefusesTheNewestCountsThemAndResumesOnceAcknowledged()
    {
        using var disk = new SmallFilesystem(kibibytes: 256);
        var directory = Path.Combine(disk.Path, "spool");
        var recordLength = FrameBatchCodec.Encode(Create(1, frames: Frames)).Length;
        var accepted = new List<long>();
        long sequence = 0;
        using (var spool = new Spool(new SpoolOptions { Directory = directory, BatchesPerSegment = 5 }))
        {
            AppendUntilRefused(spool, accepted, ref sequence, refusals: 3);

            // 256 KiB hold a few dozen 7 KiB batches; then every append is refused, none throws.
            Assert.InRange(accepted.Count, 20, 36);
            Assert.Equal(3, spool.BatchesRefused);
            Assert.Equal(3 * Frames, spool.FramesRefused);
            Assert.Equal(3, spool.WriteFailures);
            Assert.Contains("No space left on device", spool.LastWriteError, StringComparison.Ordinal);
            Assert.Equal(accepted.Count, spool.Pending);
            // Each failed write was cut back: the files hold exactly the accepted records.
            Assert.Equal((long)accepted.Count * recordLength, SegmentBytes(directory));
            Assert.Equal(spool.Bytes, SegmentBytes(directory));

            // The cluster acknowledges two segments' worth: their files go, and appends succeed again.
            for (var k = 0; k < 10; k++)
            {
                spool.Acknowledge(spool.Peek()!);
            }

            var before = accepted.Count;
            AppendUntilRefused(spool, accepted, ref sequence, refusals: 1);
            Assert.InRange(accepted.Count - before, 8, 12);
            Assert.Equal(4, spool.BatchesRefused);
            Assert.Equal(4, spool.WriteFailures);
        }

        using var reopened = new Spool(new SpoolOptions { Directory = directory, BatchesPerSegment = 5 });
        Assert.Equal(0, reopened.TornRecords);
        Assert.Equal(accepted.Skip(10), Drain(reopened));
        Assert.Empty(Directory.GetFiles(directory, "*.spool"));
    }

    [Fact]
    public void Append_NoInodeLeftForANewSegment_RefusedAndCountedThenResumes()
    {
        // Room for the root, the spool directory and two files.
        using var disk = new SmallFilesystem(kibibytes: 1024, inodes: 4);
        var directory = Path.Combine(disk.Path, "spool");
        using var spool = new Spool(new SpoolOptions { Directory = directory, BatchesPerSegment = 1 });

        Assert.True(spool.Append(Create(1)));
        Assert.True(spool.Append(Create(2)));
        Assert.False(spool.Append(Create(3)));
        Assert.Equal(1, spool.WriteFailures);
        Assert.Equal(10, spool.FramesRefused);

        // The first acknowledgement's freed inode goes to the acknowledgement mark; the second is free.
        spool.Acknowledge(spool.Peek()!);
        Assert.False(spool.Append(Create(4)));
        spool.Acknowledge(spool.Peek()!);
        Assert.True(spool.Append(Create(5)));
        Assert.Equal(2, spool.WriteFailures);
        Assert.Equal([5], Drain(spool));
    }

    [Fact]
    public void Quarantine_DiskFull_AcknowledgesCountsTheFailureAndLeavesNoHalfWrittenFiles()
    {
        using var disk = new SmallFilesystem(kibibytes: 128);
        var directory = Path.Combine(disk.Path, "spool");
        var accepted = new List<long>();
        long sequence = 0;
        using var spool = new Spool(new SpoolOptions { Directory = directory, BatchesPerSegment = 5 });
        AppendUntilRefused(spool, accepted, ref sequence, refusals: 1);

        Assert.False(spool.Quarantine(spool.Peek()!, "conflicts with stored data"));

        Assert.Equal(1, spool.BatchesQuarantined);
        Assert.Equal(1, spool.QuarantineWriteFailures);
        Assert.Equal(0, spool.QuarantinedOnDisk);
        Assert.Equal(accepted.Count - 1, spool.Pending);
        Assert.Empty(Directory.Exists(spool.RejectedDirectory) ? Directory.GetFiles(spool.RejectedDirectory) : []);
        Assert.Equal(accepted.Skip(1), Drain(spool));
    }

    [Fact]
    public void WriterIdentity_DiskFull_ReturnsAnIdAndLeavesNoHalfFile()
    {
        using var disk = new SmallFilesystem(kibibytes: 64);
        var directory = Path.Combine(disk.Path, "spool");
        Directory.CreateDirectory(directory);
        Assert.Throws<IOException>(() => File.WriteAllBytes(Path.Combine(disk.Path, "filler"), new byte[128 * 1024]));

        var id = WriterIdentity.LoadOrCreate(directory, "host");

        Assert.StartsWith("host/", id, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(directory));
    }

    private static void AppendUntilRefused(Spool spool, List<long> accepted, ref long sequence, int refusals)
    {
        var refused = 0;
        while (refused < refusals)
        {
            Assert.True(sequence < 1_000, "the small filesystem never filled up");
            if (spool.Append(Create(++sequence, frames: Frames)))
            {
                accepted.Add(sequence);
            }
            else
            {
                refused++;
            }
        }
    }

    private static long SegmentBytes(string directory) => Directory.GetFiles(directory, "*.spool").Sum(f => new FileInfo(f).Length);
}
