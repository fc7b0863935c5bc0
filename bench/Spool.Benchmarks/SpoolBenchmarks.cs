using BenchmarkDotNet.Attributes;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Benchmarks.Spooling;

/// <summary>
/// Append with a flush to disk per batch, as the agent does once a second: 100 batches per
/// iteration into a fresh spool on the real disk, per batch (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 6, invocationCount: 1)]
public class AppendBenchmarks
{
    private const int Batches = 100;
    private FrameBatch[] _batches = [];
    private string _directory = "";
    private IBenchSpool? _spool;

    [Params(6, 36)]
    public int Plugs { get; set; }

    [GlobalSetup]
    public void Setup() => _batches = [.. Enumerable.Range(1, Batches).Select(k => BenchBatches.Create(k, Plugs))];

    [IterationSetup(Target = nameof(Legacy))]
    public void SetupLegacy() => Open(SpoolKind.Legacy);

    [IterationSetup(Target = nameof(Indexed))]
    public void SetupIndexed() => Open(SpoolKind.Indexed);

    [IterationSetup(Target = nameof(FasterLog))]
    public void SetupFasterLog() => Open(SpoolKind.FasterLog);

    [IterationCleanup]
    public void Cleanup()
    {
        _spool?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batches, Description = "append+flush: legacy in-memory spool")]
    public int Legacy() => AppendAll();

    [Benchmark(OperationsPerInvoke = Batches, Description = "append+flush: index-only Spool")]
    public int Indexed() => AppendAll();

    [Benchmark(OperationsPerInvoke = Batches, Description = "append+flush: FasterLog")]
    public int FasterLog() => AppendAll();

    private void Open(SpoolKind kind)
    {
        _directory = BenchBatches.NewDirectory("append");
        _spool = BenchSpools.Open(kind, _directory);
    }

    private int AppendAll()
    {
        foreach (var batch in _batches)
        {
            _spool!.Append(batch);
        }

        return _spool!.Pending;
    }
}

/// <summary>What the pusher does per batch: read the oldest pending batch, then acknowledge it; 100 per iteration.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 6, invocationCount: 1)]
public class ReadAcknowledgeBenchmarks
{
    private const int Batches = 100;
    private string _directory = "";
    private IBenchSpool? _spool;

    [Params(6, 36)]
    public int Plugs { get; set; }

    [IterationSetup(Target = nameof(Legacy))]
    public void SetupLegacy() => Fill(SpoolKind.Legacy);

    [IterationSetup(Target = nameof(Indexed))]
    public void SetupIndexed() => Fill(SpoolKind.Indexed);

    [IterationSetup(Target = nameof(FasterLog))]
    public void SetupFasterLog() => Fill(SpoolKind.FasterLog);

    [IterationCleanup]
    public void Cleanup()
    {
        _spool?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batches, Description = "read oldest+ack: legacy in-memory spool")]
    public long Legacy() => Drain();

    [Benchmark(OperationsPerInvoke = Batches, Description = "read oldest+ack: index-only Spool")]
    public long Indexed() => Drain();

    [Benchmark(OperationsPerInvoke = Batches, Description = "read oldest+ack: FasterLog")]
    public long FasterLog() => Drain();

    private void Fill(SpoolKind kind)
    {
        _directory = BenchBatches.NewDirectory("read");
        _spool = BenchSpools.Open(kind, _directory);
        for (var k = 1; k <= Batches; k++)
        {
            _spool.Append(BenchBatches.Create(k, Plugs));
        }
    }

    private long Drain()
    {
        long sequences = 0;
        while (_spool!.Peek() is { } batch)
        {
            sequences += batch.Sequence;
            _spool.Acknowledge(batch);
        }

        return sequences == Batches * (Batches + 1) / 2 ? sequences : throw new InvalidOperationException($"read back {sequences}");
    }
}

/// <summary>An agent restarting after a long outage: reopen (recover) a spool of 10 000 pending batches and count them.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReopenBenchmarks
{
    private string _directory = "";

    [Params(6, 36)]
    public int Plugs { get; set; }

    [GlobalSetup(Targets = [nameof(Legacy), nameof(Indexed)])]
    public void SetupSegments()
    {
        _directory = BenchBatches.NewDirectory("reopen");
        BenchBatches.WriteSegments(_directory, BenchBatches.Reopened, Plugs);
    }

    [GlobalSetup(Target = nameof(FasterLog))]
    public void SetupFasterLog()
    {
        _directory = BenchBatches.NewDirectory("reopen-faster");
        using var spool = new FasterLogSpool(_directory);
        spool.AppendMany(Enumerable.Range(1, BenchBatches.Reopened).Select(k => BenchBatches.Create(k, Plugs)));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, Description = "reopen 10 000 pending: legacy in-memory spool")]
    public int Legacy() => Reopen(SpoolKind.Legacy);

    [Benchmark(Description = "reopen 10 000 pending: index-only Spool")]
    public int Indexed() => Reopen(SpoolKind.Indexed);

    [Benchmark(Description = "reopen 10 000 pending: FasterLog")]
    public int FasterLog() => Reopen(SpoolKind.FasterLog);

    private int Reopen(SpoolKind kind)
    {
        using var spool = BenchSpools.Open(kind, _directory);
        return spool.Pending == BenchBatches.Reopened ? spool.Pending : throw new InvalidOperationException($"{spool.Pending} pending");
    }
}
