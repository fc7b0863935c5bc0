using System.Diagnostics;
using Fleet.AgentHost.Components;
using Fleet.AgentHost.Tests.Support;

namespace Fleet.AgentHost.Tests.Components;

public sealed class NvidiaSmiMeterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ReadJoules_TwoGpusAtConstantPower_IntegratesPowerTimesElapsedWithinFivePercent()
    {
        using var fake = new FakeNvidiaSmi(["120.50", "80.25"]);
        await using var meter = NvidiaSmiMeter.Create(new NvidiaSmiOptions { SearchPath = fake.SearchPath, Period = TimeSpan.FromMilliseconds(50) });
        Assert.True(meter.Status.Available, meter.Status.Reason);
        Assert.Equal("nvidia-smi power.draw.instant every 50 ms, integrated (2 GPUs)", meter.Status.Source);

        await meter.StartAsync(CancellationToken.None);
        var start = meter.ReadJoules();
        var clock = Stopwatch.StartNew();
        // About 5 s at 200.75 W: long enough that a reading's lag (one 50 ms period, more on a
        // busy machine) stays well under the 5 % a wrong integration would miss by.
        await Condition.WaitAsync(() => meter.ReadJoules() - start >= 1_000, Bound, "1000 J from the fake GPUs");
        var joules = meter.ReadJoules() - start;
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.InRange(joules / seconds, 200.75 * 0.95, 200.75 * 1.05);
    }

    [Fact]
    public async Task ReadJoules_SamplerLate_ReadingCoversUpToTheReadAtTheLastPower()
    {
        // One line, then nothing for a minute: a starved or slow nvidia-smi.
        using var fake = new FakeNvidiaSmi(["100.00"], periodSeconds: 60);
        await using var meter = NvidiaSmiMeter.Create(new NvidiaSmiOptions { SearchPath = fake.SearchPath });

        await meter.StartAsync(CancellationToken.None);
        var start = meter.ReadJoules();
        var clock = Stopwatch.StartNew();
        await Condition.WaitAsync(() => meter.ReadJoules() - start >= 150, Bound, "150 J while the fake GPU prints nothing");
        var joules = meter.ReadJoules() - start;
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.InRange(joules / seconds, 95, 105);
    }

    [Fact]
    public async Task Create_InstantPowerNotAvailable_FallsBackToPowerDrawAndSaysItAverages()
    {
        using var fake = new FakeNvidiaSmi(["[N/A]", "[N/A]"], averageValues: ["100.00", "100.00"]);
        await using var meter = NvidiaSmiMeter.Create(new NvidiaSmiOptions { SearchPath = fake.SearchPath });

        Assert.True(meter.Status.Available, meter.Status.Reason);
        Assert.StartsWith("nvidia-smi power.draw every 100 ms, integrated (2 GPUs; power.draw.instant is [N/A] for GPU 0", meter.Status.Source, StringComparison.Ordinal);
        Assert.Contains("1 s trailing average", meter.Status.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoPowerAtAll_UnavailableWithBothReasons()
    {
        using var fake = new FakeNvidiaSmi(["[Not Supported]"]);
        await using var meter = NvidiaSmiMeter.Create(new NvidiaSmiOptions { SearchPath = fake.SearchPath });

        Assert.False(meter.Status.Available);
        Assert.Equal(
            "nvidia-smi gives no GPU power: power.draw.instant is [Not Supported] for GPU 0; power.draw is [Not Supported] for GPU 0",
            meter.Status.Reason);
    }

    [Fact]
    public async Task Status_SamplerExits_TurnsUnavailableWithExitCodeAndStderr()
    {
        using var fake = new FakeNvidiaSmi(["50.00"], rounds: 3, dyingWords: "Unable to determine the device handle for GPU0: GPU is lost");
        await using var meter = NvidiaSmiMeter.Create(new NvidiaSmiOptions { SearchPath = fake.SearchPath, Period = TimeSpan.FromMilliseconds(50) });

        await meter.StartAsync(CancellationToken.None);
        await Condition.WaitAsync(() => !meter.Status.Available, Bound, "the fake nvidia-smi to exit");

        Assert.Matches(@"^nvidia-smi exited with code 3 after \d+\.\d s: Unable to determine the device handle for GPU0: GPU is lost$", meter.Status.Reason);
        Assert.Throws<InvalidOperationException>(() => meter.ReadJoules());
    }

    [Fact]
    public async Task Create_NotOnSearchPath_UnavailableNotFound()
    {
        var empty = Directory.CreateTempSubdirectory("fleet-empty-path-").FullName;
        try
        {
            await using var meter = NvidiaSmiMeter.Create(new NvidiaSmiOptions { SearchPath = empty });

            Assert.False(meter.Found);
            Assert.False(meter.Status.Available);
            Assert.Equal("no nvidia-smi on PATH", meter.Status.Reason);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Theory]
    [InlineData("0, 120.50", true, 0, 120.5)]
    [InlineData("3, 7", true, 3, 7.0)]
    [InlineData("1, [N/A]", false, 1, 0)]
    [InlineData("1, [Not Supported]", false, 1, 0)]
    [InlineData("garbage", false, -1, 0)]
    public void TryParse_Lines_ReadsIndexAndWatts(string line, bool ok, int gpu, double watts)
    {
        Assert.Equal(ok, NvidiaSmiMeter.TryParse(line, out var parsedGpu, out var parsedWatts));
        Assert.Equal(gpu, parsedGpu);
        Assert.Equal(watts, parsedWatts);
    }
}
