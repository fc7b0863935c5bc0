using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Benchmarks.Spooling;

/// <summary>Opens any of the three spools behind <see cref="IBenchSpool"/>.</summary>
public static class BenchSpools
{
    /// <param name="small">Segments of 5 batches (64 KiB pages and segments for FasterLog) instead of the defaults, for a tiny disk.</param>
    public static IBenchSpool Open(SpoolKind kind, string directory, bool small = false)
    {
        var options = new SpoolOptions { Directory = directory, MaxBytes = long.MaxValue, BatchesPerSegment = small ? 5 : 60 };
        return kind switch
        {
            SpoolKind.Legacy => new LegacyAdapter(new LegacySpool(options)),
            SpoolKind.Indexed => new IndexedAdapter(new Spool(options)),
            _ => new FasterAdapter(small ? new FasterLogSpool(directory, pageSizeBits: 16, segmentSizeBits: 16) : new FasterLogSpool(directory)),
        };
    }

    private sealed class LegacyAdapter(LegacySpool spool) : IBenchSpool
    {
        public int Pending => spool.Pending;

        public bool Append(FrameBatch batch) => spool.Append(batch);

        public FrameBatch? Peek() => spool.Peek();

        public void Acknowledge(FrameBatch batch) => spool.Acknowledge(batch);

        public void Dispose() => spool.Dispose();
    }

    private sealed class IndexedAdapter(Spool spool) : IBenchSpool
    {
        public int Pending => spool.Pending;

        public bool Append(FrameBatch batch) => spool.Append(batch);

        public FrameBatch? Peek() => spool.Peek();

        public void Acknowledge(FrameBatch batch) => spool.Acknowledge(batch);

        public void Dispose() => spool.Dispose();
    }

    private sealed class FasterAdapter(FasterLogSpool spool) : IBenchSpool
    {
        public int Pending => spool.Pending;

        public bool Append(FrameBatch batch) => spool.Append(batch);

        public FrameBatch? Peek() => spool.Peek();

        public void Acknowledge(FrameBatch batch) => spool.Acknowledge(batch);

        public void Dispose() => spool.Dispose();
    }
}
