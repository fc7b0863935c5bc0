using System.Globalization;

namespace Fleet.Benchmarks.Spooling;

/// <summary>
/// Managed memory a spool holds while 10 000 batches are pending: the live heap after a full
/// collection, with the spool open, minus the heap before opening it. Not a timing, so not a
/// BenchmarkDotNet job: <c>-- --memory</c>.
/// </summary>
public static class RetainedMemory
{
    public static void Run()
    {
        Console.WriteLine("| plugs | spool | managed bytes held | per pending batch | vs legacy |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (var plugs in new[] { 6, 36 })
        {
            var segments = BenchBatches.NewDirectory("memory");
            BenchBatches.WriteSegments(segments, BenchBatches.Reopened, plugs);
            var faster = BenchBatches.NewDirectory("memory-faster");
            using (var fill = new FasterLogSpool(faster))
            {
                fill.AppendMany(Enumerable.Range(1, BenchBatches.Reopened).Select(k => BenchBatches.Create(k, plugs)));
            }

            long legacy = 0;
            foreach (var kind in Enum.GetValues<SpoolKind>())
            {
                var held = Measure(kind, kind == SpoolKind.FasterLog ? faster : segments);
                legacy = kind == SpoolKind.Legacy ? held : legacy;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {plugs} | {kind} | {held:N0} | {held / BenchBatches.Reopened:N0} | {(double)held / legacy:P2} |"));
            }

            Directory.Delete(segments, recursive: true);
            Directory.Delete(faster, recursive: true);
        }
    }

    private static long Measure(SpoolKind kind, string directory)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var spool = BenchSpools.Open(kind, directory);
        // The pusher's state: the oldest batch read and cached.
        _ = spool.Peek();
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        return spool.Pending == BenchBatches.Reopened ? held : throw new InvalidOperationException($"{spool.Pending} pending");
    }
}
