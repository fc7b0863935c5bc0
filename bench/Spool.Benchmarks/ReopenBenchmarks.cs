using BenchmarkDotNet.Attributes;

namespace Fleet.Benchmarks.Spooling;

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
