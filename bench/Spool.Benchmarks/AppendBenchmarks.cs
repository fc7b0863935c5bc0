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
