using System.Globalization;
using System.Runtime.InteropServices;
using Fleet.Grains.Abstractions.Messages;
using Microsoft.Win32.SafeHandles;

namespace Fleet.AgentHost.Spooling;

/// <summary>
/// The agent's on-disk log of batches not yet acknowledged by the cluster. Every batch is
/// appended (and flushed to disk) before anyone tries to send it; a segment file is deleted only
/// when every batch in it was acknowledged. After a crash the batches not yet acknowledged are
/// sent again (a mark file says where the acknowledged ones end; without it, more is resent):
/// the meter grain drops batches it already stored, so nothing is lost or doubled.
/// </summary>
/// <remarks>
/// <para>Memory: batches stay on disk. Per pending batch only a small index entry (offset,
/// length, source id, sequence, frame count) is kept; <see cref="Peek"/> reads the oldest batch
/// back from its segment and keeps just that one.</para>
/// <para>Full disk: the policy is <b>newest dropped</b>, the same as for the disk budget
/// (<see cref="SpoolOptions.MaxBytes"/>). When a write or flush fails (no space left, quota
/// exceeded, an I/O error) the segment is cut back to its last whole record, the batch is
/// refused and counted in <see cref="BatchesRefused"/>, <see cref="FramesRefused"/> and
/// <see cref="WriteFailures"/>, and <see cref="Append"/> returns false: what is already spooled
/// stays, in order, for the cluster, and appends succeed again as soon as acknowledgements
/// delete segments or space is freed. It never throws for a full disk.</para>
/// <para>Restart: a torn record (a crash or a full disk mid-write) ends its segment; the
/// records before it are kept. The newest segment's torn tail is cut off; new batches always
/// go to a new segment, named after the newest so they sort after it.</para>
/// <para>Quarantine: a batch the cluster refused for good is written to <c>rejected/</c> with
/// its reason (<see cref="Quarantine"/>) and leaves the queue; it is never read as a segment
/// and never resent.</para>
/// <para>Thread-safe: the reading loop appends while the pusher reads and acknowledges.</para>
/// </remarks>
public sealed class Spool : IDisposable
{
    private const string Extension = ".spool";
    private const string SegmentTimeFormat = "yyyyMMddTHHmmssfff";
    private readonly SpoolOptions _options;
    private readonly Lock _gate = new();
    private readonly List<Segment> _segments = [];
    private readonly SemaphoreSlim _appended = new(0);
    private readonly RejectedBatches _rejected;
    private readonly AcknowledgedMark _mark;
    private Segment? _open;
    private SafeFileHandle? _writer;
    private Segment? _readSegment;
    private SafeFileHandle? _reader;
    private Peeked? _peeked;
    private DateTime _lastSegmentTime;
    private long _bytes;
    private int _pending;
    private long _pendingFrames;
    private long _batchesRefused;
    private long _framesRefused;
    private long _writeFailures;
    private string? _lastWriteError;
    private long _batchesUnreadable;
    private bool _disposed;

    public Spool(SpoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        System.IO.Directory.CreateDirectory(options.Directory);
        _rejected = new RejectedBatches(Path.Combine(options.Directory, RejectedBatches.DirectoryName));
        _mark = new AcknowledgedMark(options.Directory);
        var mark = _mark.Read();
        // Only the spool directory itself: rejected/ (and anything else below) is never a segment.
        var paths = System.IO.Directory.GetFiles(options.Directory, "*" + Extension, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        var sourceIds = new Dictionary<string, string>(StringComparer.Ordinal);
        long tornRecords = 0;
        for (var k = 0; k < paths.Count; k++)
        {
            var name = Path.GetFileName(paths[k]);
            if (mark is { } before && string.CompareOrdinal(name, before.Segment) < 0)
            {
                // Wholly acknowledged before the mark; its deletion did not happen (a crash in between).
                TryDelete(paths[k]);
                continue;
            }

            var segment = Segment.Load(paths[k], isNewest: k == paths.Count - 1, sourceIds, ref tornRecords);
            if (mark is { } at && name == at.Segment)
            {
                segment.SkipBefore(at.Offset);
            }

            if (segment.IsFullyAcknowledged)
            {
                TryDelete(segment.Path);
                continue;
            }

            _segments.Add(segment);
            _bytes += segment.Length;
            _pending += segment.Entries.Count - segment.Acknowledged;
            _pendingFrames += segment.Entries.Where(e => !e.Acknowledged).Sum(e => (long)e.Frames);
        }

        // New segments sort after every earlier one, and after the mark (even if the clock stepped back).
        _lastSegmentTime = new[] { paths.Count > 0 ? Path.GetFileName(paths[^1]) : null, mark?.Segment }
            .Select(SegmentTime).Max();

        TornRecords = tornRecords;
    }

    /// <summary>Bytes of segment files on disk now (<c>rejected/</c> not included).</summary>
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
                return _pending;
            }
        }
    }

    /// <summary>Frames in the pending batches.</summary>
    public long PendingFrames
    {
        get
        {
            lock (_gate)
            {
                return _pendingFrames;
            }
        }
    }

    /// <summary>Batches dropped since start because the disk budget or the disk itself was full (the newest are dropped).</summary>
    public long BatchesRefused => Interlocked.Read(ref _batchesRefused);

    /// <summary>Frames in the batches counted by <see cref="BatchesRefused"/>.</summary>
    public long FramesRefused => Interlocked.Read(ref _framesRefused);

    /// <summary>Refusals caused by a failed write, flush or segment creation (full disk, quota, I/O error) rather than the budget.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>The message of the last failed write, for the agent's warning; null when none failed.</summary>
    public string? LastWriteError => Volatile.Read(ref _lastWriteError);

    /// <summary>Records found torn or corrupt when reopening the spool (a crash mid-write).</summary>
    public long TornRecords { get; }

    /// <summary>Indexed batches that could not be read back (the segment damaged or removed since): skipped and counted.</summary>
    public long BatchesUnreadable => Interlocked.Read(ref _batchesUnreadable);

    /// <summary>Batches refused for good by the cluster and set aside with <see cref="Quarantine"/> since start.</summary>
    public long BatchesQuarantined => _rejected.Quarantined;

    /// <summary>Batches in <c>rejected/</c> now: those of earlier runs, counted at start, plus this run's.</summary>
    public long QuarantinedOnDisk => _rejected.OnDisk;

    /// <summary>Quarantined batches whose files could not be written (full disk): acknowledged all the same, so the stream goes on.</summary>
    public long QuarantineWriteFailures => _rejected.WriteFailures;

    /// <summary>Where refused batches are kept: <c>rejected/</c> in the spool directory.</summary>
    public string RejectedDirectory => _rejected.Directory;

    public bool IsNearlyFull => Bytes >= _options.WarnFraction * _options.MaxBytes;

    /// <summary>
    /// Appends a batch durably; false (and counted) when the disk budget is exhausted or the
    /// disk refuses the write. Never throws for a full disk.
    /// </summary>
    public bool Append(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var record = FrameBatchCodec.Encode(batch);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_bytes + record.Length > _options.MaxBytes)
            {
                Refuse(batch);
                return false;
            }

            try
            {
                WriteLocked(batch, record);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _writeFailures);
                Volatile.Write(ref _lastWriteError, error.Message);
                Refuse(batch);
                return false;
            }
        }

        _appended.Release();
        return true;
    }

    /// <summary>The oldest batch not yet acknowledged, read from disk, or null when everything was acknowledged.</summary>
    public FrameBatch? Peek()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (TryFindOldest(out var segment, out var index))
            {
                if (_peeked is { } peeked && peeked.Segment == segment && peeked.Index == index)
                {
                    return peeked.Batch;
                }

                if (Read(segment, segment.Entries[index]) is { } batch)
                {
                    _peeked = new Peeked(segment, index, batch);
                    return batch;
                }

                // Sending garbage is worse than skipping it; the count says it happened.
                Interlocked.Increment(ref _batchesUnreadable);
                AcknowledgeAt(segment, index);
            }

            return null;
        }
    }

    /// <summary>
    /// The oldest pending batches in order, as many consecutive ones of the same source and plug
    /// count as fit in <paramref name="maxFrames"/> frames (always at least the oldest): an agent
    /// catching up sends them in one call. Empty when everything was acknowledged.
    /// </summary>
    public IReadOnlyList<FrameBatch> PeekMany(int maxFrames)
    {
        lock (_gate)
        {
            if (Peek() is not { } first)
            {
                return [];
            }

            var batches = new List<FrameBatch> { first };
            var frames = first.Count;
            TryFindOldest(out var segment, out var index);
            var position = _segments.IndexOf(segment);
            index++;
            while (position < _segments.Count)
            {
                var entries = _segments[position].Entries;
                for (; index < entries.Count; index++)
                {
                    var entry = entries[index];
                    if (entry.Acknowledged || !string.Equals(entry.SourceId, first.SourceId, StringComparison.Ordinal) || frames + entry.Frames > maxFrames
                        || Read(_segments[position], entry) is not { } next || next.Plugs != first.Plugs)
                    {
                        return batches;
                    }

                    batches.Add(next);
                    frames += next.Count;
                }

                position++;
                index = 0;
            }

            return batches;
        }
    }

    /// <summary>Waits until something is appended (or the timeout passes).</summary>
    public Task WaitForAppendAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _appended.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Marks a batch as stored by the cluster; deletes segments that are fully acknowledged and
    /// closed. A batch that is not pending (already acknowledged, quarantined) is ignored.
    /// </summary>
    public void Acknowledge(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TryFind(batch.SourceId, batch.Sequence, out var segment, out var index))
            {
                AcknowledgeAt(segment, index);
            }
        }
    }

    /// <summary>
    /// Sets aside a batch the cluster refused for good: writes it (the spool's record format) and
    /// a JSON file with <paramref name="reason"/> to <c>rejected/</c>, then acknowledges it so
    /// the stream goes on. False when the files could not be written (full disk): the batch is
    /// acknowledged and counted all the same, and <see cref="QuarantineWriteFailures"/> says so.
    /// </summary>
    public bool Quarantine(FrameBatch batch, string reason)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var written = _rejected.Write(batch, reason, DateTimeOffset.UtcNow);
            if (TryFind(batch.SourceId, batch.Sequence, out var segment, out var index))
            {
                // Durably: sent again after a restart, it would be refused and set aside twice.
                AcknowledgeAt(segment, index, durableMark: true);
            }

            return written;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer?.Dispose();
            _writer = null;
            _reader?.Dispose();
            _reader = null;
            _mark.Dispose();
        }

        _appended.Dispose();
    }

    private void Refuse(FrameBatch batch)
    {
        Interlocked.Increment(ref _batchesRefused);
        Interlocked.Add(ref _framesRefused, batch.Count);
    }

    private void WriteLocked(FrameBatch batch, byte[] record)
    {
        if (_open is null || _open.Entries.Count >= _options.BatchesPerSegment)
        {
            CloseOpenSegment();
            OpenSegment(batch.Sequence);
        }

        var segment = _open!;
        var offset = segment.Length;
        try
        {
            RandomAccess.Write(_writer!, record, offset);
            RandomAccess.FlushToDisk(_writer!);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            CutBack(segment, offset);
            throw;
        }

        segment.Entries.Add(new Entry(offset, record.Length, batch.SourceId, batch.Sequence, batch.Count));
        segment.Length = offset + record.Length;
        _bytes += record.Length;
        _pending++;
        _pendingFrames += batch.Count;
    }

    private void OpenSegment(long firstSequence)
    {
        // Segments are replayed in name order: never name one before the newest, even if the clock stepped back.
        var now = DateTime.UtcNow;
        var time = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        if (time <= _lastSegmentTime)
        {
            time = _lastSegmentTime.AddMilliseconds(1);
        }

        var path = Path.Combine(_options.Directory, string.Create(CultureInfo.InvariantCulture, $"{time:yyyyMMddTHHmmssfff}-{firstSequence:D12}{Extension}"));
        _writer = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _lastSegmentTime = time;
        _open = new Segment(path, 0);
        _segments.Add(_open);
    }

    private void CloseOpenSegment()
    {
        _writer?.Dispose();
        _writer = null;
        var closed = _open;
        _open = null;
        if (closed is not null && closed.IsFullyAcknowledged)
        {
            DeleteSegment(closed);
        }
    }

    /// <summary>After a failed write: truncate to the last whole record so no torn record stays behind the good ones.</summary>
    private void CutBack(Segment segment, long goodLength)
    {
        try
        {
            // Truncating frees blocks, so it works on a full disk.
            RandomAccess.SetLength(_writer!, goodLength);
            if (segment.Entries.Count > 0)
            {
                return;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Cannot cut: seal the segment so nothing is ever appended after the torn bytes;
            // reopening counts and ignores them. The bytes count against the budget until then.
            try
            {
                var length = RandomAccess.GetLength(_writer!);
                _bytes += length - segment.Length;
                segment.Length = length;
            }
            catch (IOException)
            {
                // The length stays as known.
            }
        }

        _writer!.Dispose();
        _writer = null;
        _open = null;
        if (segment.Entries.Count == 0)
        {
            DeleteSegment(segment);
        }
    }

    private void DeleteSegment(Segment segment)
    {
        if (_readSegment == segment)
        {
            _reader?.Dispose();
            _reader = null;
            _readSegment = null;
        }

        if (_peeked?.Segment == segment)
        {
            _peeked = null;
        }

        TryDelete(segment.Path);
        _segments.Remove(segment);
        _bytes -= segment.Length;
    }

    private void AcknowledgeAt(Segment segment, int index, bool durableMark = false)
    {
        var wasOldest = TryFindOldest(out var oldest, out var oldestIndex) && oldest == segment && oldestIndex == index;
        var entries = CollectionsMarshal.AsSpan(segment.Entries);
        entries[index].Acknowledged = true;
        segment.Acknowledged++;
        _pending--;
        _pendingFrames -= entries[index].Frames;
        if (_peeked is { } peeked && peeked.Segment == segment && peeked.Index == index)
        {
            _peeked = null;
        }

        if (segment.IsFullyAcknowledged)
        {
            // The open segment stays until it is full, so a caught-up agent does not create and
            // delete a file every second.
            if (segment != _open)
            {
                DeleteSegment(segment);
            }
            else if (segment.Entries.Count >= _options.BatchesPerSegment)
            {
                CloseOpenSegment();
            }
        }

        if (wasOldest || durableMark)
        {
            MoveMark(durableMark);
        }
    }

    /// <summary>Records where the oldest pending batch starts, so a restart skips what was acknowledged.</summary>
    private void MoveMark(bool durable)
    {
        if (TryFindOldest(out var segment, out var index))
        {
            _mark.Write(Path.GetFileName(segment.Path), segment.Entries[index].Offset, durable);
        }
        else if (_open is not null)
        {
            _mark.Write(Path.GetFileName(_open.Path), _open.Length, durable);
        }
    }

    /// <summary>The oldest pending entry. O(1) amortised: only the open segment can be fully acknowledged and still listed.</summary>
    private bool TryFindOldest(out Segment segment, out int index)
    {
        foreach (var candidate in _segments)
        {
            if (candidate.IsFullyAcknowledged)
            {
                continue;
            }

            var entries = CollectionsMarshal.AsSpan(candidate.Entries);
            while (entries[candidate.Cursor].Acknowledged)
            {
                candidate.Cursor++;
            }

            segment = candidate;
            index = candidate.Cursor;
            return true;
        }

        segment = null!;
        index = -1;
        return false;
    }

    /// <summary>The pending entry of a batch: at once when it is the oldest (the pusher sends in order), else by a scan.</summary>
    private bool TryFind(string sourceId, long sequence, out Segment segment, out int index)
    {
        if (TryFindOldest(out segment, out index) && segment.Entries[index].Is(sourceId, sequence))
        {
            return true;
        }

        foreach (var candidate in _segments)
        {
            var entries = CollectionsMarshal.AsSpan(candidate.Entries);
            for (var k = candidate.Cursor; k < entries.Length; k++)
            {
                if (!entries[k].Acknowledged && entries[k].Is(sourceId, sequence))
                {
                    segment = candidate;
                    index = k;
                    return true;
                }
            }
        }

        segment = null!;
        index = -1;
        return false;
    }

    private FrameBatch? Read(Segment segment, Entry entry)
    {
        try
        {
            if (_readSegment != segment)
            {
                _reader?.Dispose();
                _reader = null;
                _readSegment = null;
                _reader = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                _readSegment = segment;
            }

            var record = new byte[entry.Length];
            return ReadExactly(_reader!, record, entry.Offset)
                && FrameBatchCodec.TryDecode(record, out var batch, out var length)
                && length == entry.Length && batch!.Sequence == entry.Sequence && batch.SourceId == entry.SourceId
                ? batch
                : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static DateTime SegmentTime(string? name) =>
        name is not null && name.Length >= SegmentTimeFormat.Length && DateTime.TryParseExact(name.AsSpan(0, SegmentTimeFormat.Length), SegmentTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : DateTime.MinValue;

    private static bool ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
            offset += read;
        }

        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A segment that cannot be deleted is sent again after a restart; the meter drops what it already has.
        }
    }

    /// <summary>What the index keeps per batch: where it is, and what identifies it for acknowledgement.</summary>
    private struct Entry(long offset, int length, string sourceId, long sequence, int frames)
    {
        public readonly long Offset = offset;
        public readonly int Length = length;
        public readonly int Frames = frames;
        public readonly long Sequence = sequence;
        public readonly string SourceId = sourceId;
        public bool Acknowledged;

        public readonly bool Is(string sourceId, long sequence) => Sequence == sequence && string.Equals(SourceId, sourceId, StringComparison.Ordinal);
    }

    private sealed record Peeked(Segment Segment, int Index, FrameBatch Batch);

    private sealed class Segment(string path, long length)
    {
        public string Path { get; } = path;

        /// <summary>Bytes of the file, records and any torn tail.</summary>
        public long Length { get; set; } = length;

        public List<Entry> Entries { get; } = [];

        public int Acknowledged { get; set; }

        /// <summary>No entry before this one is pending.</summary>
        public int Cursor { get; set; }

        public bool IsFullyAcknowledged => Acknowledged == Entries.Count;

        /// <summary>Marks the records before <paramref name="offset"/> acknowledged (a restart after the mark was written).</summary>
        public void SkipBefore(long offset)
        {
            var entries = CollectionsMarshal.AsSpan(Entries);
            while (Cursor < entries.Length && entries[Cursor].Offset < offset)
            {
                entries[Cursor].Acknowledged = true;
                Acknowledged++;
                Cursor++;
            }
        }

        /// <summary>Indexes a segment file; a torn or corrupt record ends it, and is cut off when the file is the newest.</summary>
        public static Segment Load(string path, bool isNewest, Dictionary<string, string> sourceIds, ref long tornRecords)
        {
            long good = 0;
            long length;
            var torn = false;
            Segment segment;
            using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                length = RandomAccess.GetLength(handle);
                segment = new Segment(path, length);
                Span<byte> header = stackalloc byte[FrameBatchCodec.RecordHeaderLength];
                var buffer = Array.Empty<byte>();
                while (good < length)
                {
                    var payload = length - good >= header.Length && ReadExactly(handle, header, good) ? FrameBatchCodec.PayloadLength(header) : -1;
                    if (payload < 0 || good + header.Length + payload > length)
                    {
                        torn = true;
                        break;
                    }

                    var recordLength = header.Length + payload;
                    if (buffer.Length < recordLength)
                    {
                        buffer = new byte[recordLength];
                    }

                    if (!ReadExactly(handle, buffer.AsSpan(0, recordLength), good)
                        || !FrameBatchCodec.TryReadIndex(buffer.AsSpan(0, recordLength), out var sourceId, out var sequence, out var frames, out _))
                    {
                        torn = true;
                        break;
                    }

                    // One string per run, not one per batch.
                    if (!sourceIds.TryGetValue(sourceId, out var shared))
                    {
                        sourceIds[sourceId] = shared = sourceId;
                    }

                    segment.Entries.Add(new Entry(good, recordLength, shared, sequence, frames));
                    good += recordLength;
                }
            }

            if (torn)
            {
                tornRecords++;
                if (isNewest && segment.Entries.Count > 0)
                {
                    segment.Length = CutTornTail(path, good, length);
                }
            }

            return segment;
        }

        private static long CutTornTail(string path, long good, long length)
        {
            try
            {
                // So the tear is counted once, and its bytes do not count against the budget.
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
                RandomAccess.SetLength(handle, good);
                return good;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return length;
            }
        }
    }
}
