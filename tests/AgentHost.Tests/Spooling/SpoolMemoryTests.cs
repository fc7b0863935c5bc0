using Fleet.AgentHost.Spooling;
using static Fleet.AgentHost.Tests.Spooling.TestBatches;

namespace Fleet.AgentHost.Tests.Spooling;

/// <summary>Alone in its collection: it measures the process's managed heap, which other tests running at the same time would blur.</summary>
[CollectionDefinition(nameof(SpoolMemoryTests), DisableParallelization = true)]
public sealed class SpoolMemoryTestsRunAlone;

/// <summary>An agent offline for hours holds tens of thousands of batches: on disk, with only an index in memory.</summary>
[Collection(nameof(SpoolMemoryTests))]
public sealed class SpoolMemoryTests : IDisposable
{
    private const int Batches = 5_000;

    // tmpfs when there is one: this test is about memory, not about waiting for 5 000 fsyncs.
    private readonly string _directory = Directory.Exists("/dev/shm")
        ? Directory.CreateDirectory(Path.Combine("/dev/shm", "fleet-spool-memory-" + Guid.NewGuid().ToString("N"))).FullName
        : Directory.CreateTempSubdirectory("fleet-spool-memory-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Append_FiveThousandPendingBatches_HoldsOnlyAnIndexInMemory()
    {
        var first = Create(1, plugs: 6, frames: 100);
        using (var spool = new Spool(new SpoolOptions { Directory = _directory }))
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var k = 1; k <= Batches; k++)
            {
                Assert.True(spool.Append(Create(k, plugs: 6, frames: 100)));
            }

            var held = GC.GetTotalMemory(forceFullCollection: true) - before;

            Assert.Equal(Batches, spool.Pending);
            // ~7.3 KB per batch on disk (36 MB in all); the index is tens of bytes per batch.
            Assert.True(spool.Bytes > Batches * 7_000L, $"{spool.Bytes} bytes spooled");
            Assert.True(held < spool.Bytes / 25, $"{held} bytes of managed memory held for {spool.Bytes} bytes spooled ({held / Batches} per batch)");
            AssertSame(first, spool.Peek()!);
        }

        using var reopened = new Spool(new SpoolOptions { Directory = _directory });
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var sequences = Drain(reopened);
        Assert.Equal(Enumerable.Range(1, Batches).Select(k => (long)k), sequences);
        Assert.Equal(0, reopened.Pending);
        Assert.Empty(Directory.GetFiles(_directory, "*.spool"));
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) <= baseline, "draining the spool left memory behind");
    }
}
