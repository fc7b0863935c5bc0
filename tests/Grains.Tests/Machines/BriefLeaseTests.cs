using Fleet.Grains.Abstractions;
using Fleet.Grains.Tests.Support;

namespace Fleet.Grains.Tests.Machines;

/// <summary>The brief lease a socket identification takes: it keeps experiments off the machine, and lapses by itself.</summary>
public sealed class BriefLeaseTests : IClassFixture<FleetClusterFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private readonly FleetClusterFixture _cluster;

    public BriefLeaseTests(FleetClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task TryLeaseBrieflyAsync_FreeMachine_Taken_AnExperimentWaitsInLineAndGetsItOnRelease()
    {
        var machine = _cluster.Grains.GetGrain<IMachineGrain>("brief-a");

        Assert.True(await machine.TryLeaseBrieflyAsync("identify-brief-a-1", Long));
        var experimentRefused = !await machine.TryLeaseAsync("exp-brief-a", queue: true);
        var holder = await machine.GetLeaseHolderAsync();
        await machine.ReleaseAsync("identify-brief-a-1");

        Assert.True(experimentRefused);
        Assert.Equal("identify-brief-a-1", holder);
        Assert.True(await machine.TryLeaseAsync("exp-brief-a", queue: true));
    }

    [Fact]
    public async Task TryLeaseBrieflyAsync_ExperimentHoldsOrWaits_Refused()
    {
        var held = _cluster.Grains.GetGrain<IMachineGrain>("brief-b");
        var waited = _cluster.Grains.GetGrain<IMachineGrain>("brief-c");
        Assert.True(await held.TryLeaseAsync("exp-brief-b"));
        Assert.True(await waited.TryLeaseAsync("exp-brief-c1"));
        Assert.False(await waited.TryLeaseAsync("exp-brief-c2", queue: true));
        await waited.ReleaseAsync("exp-brief-c1");

        Assert.False(await held.TryLeaseBrieflyAsync("identify-brief-b", Long));
        // Free, but a submitted experiment is first in line: it comes before an identification.
        Assert.Null(await waited.GetLeaseHolderAsync());
        Assert.False(await waited.TryLeaseBrieflyAsync("identify-brief-c", Long));
        Assert.Equal("exp-brief-b", await held.GetLeaseHolderAsync());
    }

    [Fact]
    public async Task TryLeaseBrieflyAsync_NeverReleased_LapsesAfterItsLifetime()
    {
        var machine = _cluster.Grains.GetGrain<IMachineGrain>("brief-d");
        Assert.True(await machine.TryLeaseBrieflyAsync("identify-brief-d", TimeSpan.FromSeconds(1)));
        var taken = DateTimeOffset.UtcNow;
        Assert.False(await machine.TryLeaseAsync("exp-brief-d"));

        // The silo that took it is gone: nobody releases it, and the machine is not kept.
        while (await machine.GetLeaseHolderAsync() is not null)
        {
            Assert.True(DateTimeOffset.UtcNow - taken < TimeSpan.FromSeconds(15), "the brief lease did not lapse within 15 s of its 1 s lifetime");
            await Task.Delay(100);
        }

        Assert.True(DateTimeOffset.UtcNow - taken >= TimeSpan.FromSeconds(0.9), "lapsed before its lifetime");
        Assert.True(await machine.TryLeaseAsync("exp-brief-d"));
    }
}
