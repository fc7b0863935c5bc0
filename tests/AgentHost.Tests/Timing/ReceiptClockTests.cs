using Fleet.AgentHost.Timing;

namespace Fleet.AgentHost.Tests.Timing;

public sealed class ReceiptClockTests
{
    private const long Start = 1_764_064_800_000_000L;

    [Fact]
    public void Timestamp_JitteryReceipts_GivesEvenlySpacedMonotonicTimesNearTheLatencyFloor()
    {
        // Receipts arrive in USB bursts: real time + 1 ms floor + up to 15 ms of jitter.
        var clock = new ReceiptClock();
        var random = new Random(4);
        var times = new List<long>();
        for (var k = 0; k < 3000; k++)
        {
            var received = Start + (k * 10_000L) + 1_000 + random.Next(0, 15_000);
            times.Add(clock.Timestamp(k, received));
        }

        var steps = times.Zip(times.Skip(1), (a, b) => b - a).Skip(500).ToList();
        Assert.All(steps, step => Assert.InRange(step, 9_000, 11_000));
        // After settling, frame k is stamped within 2 ms of its real time + latency floor.
        Assert.InRange(times[^1] - (Start + (2999 * 10_000L) + 1_000), -2_000, 2_000);
        Assert.InRange(clock.Health.JitterSeconds, 0.010, 0.016);
    }

    [Fact]
    public void Timestamp_BoxCrystalRunsFast_TracksTheDrift()
    {
        // The box's 10 ms is really 9.99 ms: 0.1 % drift, 3 s over 50 minutes.
        var clock = new ReceiptClock();
        long last = 0;
        for (var k = 0; k < 300_000; k++)
        {
            last = clock.Timestamp(k, Start + (k * 9_990L) + 2_000);
        }

        Assert.InRange(last - (Start + (299_999 * 9_990L) + 2_000), -5_000, 5_000);
    }

    [Fact]
    public void Timestamp_HostClockStepsBackAMinute_StaysMonotonicWithoutBunchingFrames()
    {
        var clock = new ReceiptClock();
        var stamps = new List<long>();
        for (var k = 0; k < 80_000; k++)
        {
            var back = k >= 1000 ? 60_000_000L : 0;
            stamps.Add(clock.Timestamp(k, Start + (k * 10_000L) + 1_000 - back));
        }

        var steps = stamps.Zip(stamps.Skip(1), (a, b) => b - a).ToList();
        Assert.All(steps, step => Assert.True(step >= 9_000, $"two frames stamped {step} µs apart"));
        // Never more frames in a second than the cluster accepts (120).
        Assert.True(stamps.GroupBy(t => t / 1_000_000).Max(g => g.Count()) <= 112);
        // A minute absorbed at 1 ms per frame: back on the host's clock after 60 000 frames (10 minutes).
        Assert.InRange(stamps[^1] - (Start + (79_999 * 10_000L) + 1_000 - 60_000_000L), -2_000, 2_000);
    }

    [Fact]
    public void Timestamp_HostClockJumpsAnHour_ReanchorsAndStaysMonotonic()
    {
        var clock = new ReceiptClock();
        long previous = 0;
        for (var k = 0; k < 1000; k++)
        {
            var hour = k >= 500 ? 3_600_000_000L : 0;
            var stamp = clock.Timestamp(k, Start + (k * 10_000L) + 1_000 + hour);
            Assert.True(stamp > previous);
            previous = stamp;
        }

        Assert.Equal(1, clock.Health.Reanchors);
        Assert.InRange(previous - (Start + (999 * 10_000L) + 3_600_000_000L), -2_000, 2_000);
    }

    [Fact]
    public void FixedStartClock_Sequence_IsStartPlusTenMillisecondsPerStep()
    {
        var clock = new FixedStartClock(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(1_795_600_800_000_000L + 123_450_000L, clock.Timestamp(12_345, receivedUnixMicroseconds: 0));
    }
}
