using BenchmarkDotNet.Attributes;

namespace Fleet.Benchmarks.Spooling;

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
