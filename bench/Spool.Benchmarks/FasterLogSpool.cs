using FASTER.core;
using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Benchmarks.Spooling;

/// <summary>
/// The alternative weighed: a minimal spool on <see cref="FasterLog"/> (Microsoft.FASTER.Core).
/// Each batch is the agent's record, enqueued and committed (flushed) before Append returns;
/// Peek reads the oldest through a tailing iterator; Acknowledge truncates the log up to the
/// next record (persisted with the next commit). In-order acknowledgement only, no budget, no
/// quarantine: just what the measurements need.
/// </summary>
public sealed class FasterLogSpool : IDisposable
{
    private readonly FasterLogSettings _settings;
    private readonly FasterLog _log;
    private readonly FasterLogScanIterator _reader;
    private FrameBatch? _peeked;
    private long _peekedNext;

    /// <param name="pageSizeBits">By default 1 MiB pages (a 36-plug batch is ~31 KiB), 4 pages in memory.</param>
    /// <param name="segmentSizeBits">By default 16 MiB files: truncation deletes whole files only.</param>
    public FasterLogSpool(string directory, int pageSizeBits = 20, int segmentSizeBits = 24)
    {
        _settings = new FasterLogSettings(directory, deleteDirOnDispose: false)
        {
            PageSizeBits = pageSizeBits,
            MemorySizeBits = pageSizeBits + 2,
            SegmentSizeBits = segmentSizeBits,
            RemoveOutdatedCommits = true,
        };
        _log = new FasterLog(_settings);
        // FasterLog keeps no count: recovery scans what is left to know how much is pending.
        using (var scan = _log.Scan(_log.BeginAddress, _log.TailAddress))
        {
            while (scan.GetNext(out _, out _, out _))
            {
                Pending++;
            }
        }

        _reader = _log.Scan(_log.BeginAddress, long.MaxValue);
    }

    public int Pending { get; private set; }

    public bool Append(FrameBatch batch)
    {
        _log.Enqueue(FrameBatchCodec.Encode(batch));
        _log.Commit(spinWait: true);
        Pending++;
        return true;
    }

    /// <summary>Enqueues many batches and commits once: for setting up a full spool quickly.</summary>
    public void AppendMany(IEnumerable<FrameBatch> batches)
    {
        foreach (var batch in batches)
        {
            _log.Enqueue(FrameBatchCodec.Encode(batch));
            Pending++;
        }

        _log.Commit(spinWait: true);
    }

    public FrameBatch? Peek()
    {
        if (_peeked is null && _reader.GetNext(out var entry, out var length, out _, out var next))
        {
            _peeked = FrameBatchCodec.TryDecode(entry.AsSpan(0, length), out var batch, out _) ? batch : throw new InvalidDataException("corrupt record");
            _peekedNext = next;
        }

        return _peeked;
    }

    public void Acknowledge(FrameBatch batch)
    {
        if (_peeked is not null && _peeked.SourceId == batch.SourceId && _peeked.Sequence == batch.Sequence)
        {
            _log.TruncateUntil(_peekedNext);
            _peeked = null;
            Pending--;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _log.Dispose();
        _settings.Dispose();
    }
}
