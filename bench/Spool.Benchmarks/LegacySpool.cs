using System.Globalization;
using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Benchmarks.Spooling;

/// <summary>
/// The baseline: the agent's spool as it was before it kept only an index (commit e15f82c),
/// unchanged but for its name. Every pending batch stays decoded in memory; a full disk throws.
/// Same segment and record format as <see cref="Spool"/>, so both reopen the same directory.
/// </summary>
public sealed class LegacySpool : IDisposable
{
    private const string Extension = ".spool";
    private readonly SpoolOptions _options;
    private readonly Lock _gate = new();
    private readonly List<Segment> _segments = [];
    private readonly SemaphoreSlim _appended = new(0);
    private FileStream? _writer;
    private long _bytes;
    private long _batchesRefused;

    public LegacySpool(SpoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        System.IO.Directory.CreateDirectory(options.Directory);
        long tornRecords = 0;
        foreach (var path in System.IO.Directory.GetFiles(options.Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var segment = Segment.Load(path, ref tornRecords);
            if (segment.Batches.Count == 0)
            {
                File.Delete(path);
                continue;
            }

            _segments.Add(segment);
            _bytes += new FileInfo(path).Length;
        }

        TornRecords = tornRecords;
    }

    /// <summary>Bytes on disk now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Batches appended and not yet acknowledged.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _segments.Sum(s => s.Batches.Count(b => !b.Acknowledged));
            }
        }
    }

    /// <summary>Batches dropped because the disk budget was full.</summary>
    public long BatchesRefused => Interlocked.Read(ref _batchesRefused);

    /// <summary>Records found torn or corrupt when reopening the spool (a crash mid-write).</summary>
    public long TornRecords { get; }

    public bool IsNearlyFull => Bytes >= _options.WarnFraction * _options.MaxBytes;

    /// <summary>Appends a batch durably; false (and counted) when the disk budget is exhausted.</summary>
    public bool Append(FrameBatch batch)
    {
        var record = FrameBatchCodec.Encode(batch);
        lock (_gate)
        {
            if (_bytes + record.Length > _options.MaxBytes)
            {
                Interlocked.Increment(ref _batchesRefused);
                return false;
            }

            if (_writer is null || _segments[^1].Batches.Count >= _options.BatchesPerSegment)
            {
                _writer?.Dispose();
                var path = Path.Combine(_options.Directory, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{batch.Sequence:D12}{Extension}"));
                _writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1);
                _segments.Add(new Segment(path));
            }

            _writer.Write(record);
            _writer.Flush(flushToDisk: true);
            _segments[^1].Batches.Add(new Entry(batch));
            _bytes += record.Length;
        }

        _appended.Release();
        return true;
    }

    /// <summary>The oldest batch not yet acknowledged, or null when everything was acknowledged.</summary>
    public FrameBatch? Peek()
    {
        lock (_gate)
        {
            foreach (var segment in _segments)
            {
                foreach (var entry in segment.Batches)
                {
                    if (!entry.Acknowledged)
                    {
                        return entry.Batch;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Waits until something is appended (or the timeout passes).</summary>
    public Task WaitForAppendAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _appended.WaitAsync(timeout, cancellationToken);

    /// <summary>Marks a batch as stored by the cluster; deletes segments that are fully acknowledged and closed.</summary>
    public void Acknowledge(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            foreach (var segment in _segments)
            {
                var entry = segment.Batches.Find(e => ReferenceEquals(e.Batch, batch) || (e.Batch.SourceId == batch.SourceId && e.Batch.Sequence == batch.Sequence));
                if (entry is not null)
                {
                    entry.Acknowledged = true;
                    break;
                }
            }

            // The open segment (last) stays until it is full, so appends never race a delete.
            while (_segments.Count > 0 && _segments[0].Batches.All(e => e.Acknowledged)
                && (_segments.Count > 1 || _segments[0].Batches.Count >= _options.BatchesPerSegment || _writer is null))
            {
                if (_segments.Count == 1)
                {
                    _writer?.Dispose();
                    _writer = null;
                }

                _bytes -= new FileInfo(_segments[0].Path).Length;
                File.Delete(_segments[0].Path);
                _segments.RemoveAt(0);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }

        _appended.Dispose();
    }

    private sealed class Entry(FrameBatch batch)
    {
        public FrameBatch Batch { get; } = batch;

        public bool Acknowledged { get; set; }
    }

    private sealed class Segment(string path)
    {
        public string Path { get; } = path;

        public List<Entry> Batches { get; } = [];

        public static Segment Load(string path, ref long tornRecords)
        {
            var segment = new Segment(path);
            var bytes = File.ReadAllBytes(path);
            var offset = 0;
            while (offset < bytes.Length)
            {
                if (!FrameBatchCodec.TryDecode(bytes.AsSpan(offset), out var batch, out var length))
                {
                    // A crash mid-append leaves a torn tail: everything before it is intact.
                    tornRecords++;
                    break;
                }

                segment.Batches.Add(new Entry(batch!));
                offset += length;
            }

            return segment;
        }
    }
}
