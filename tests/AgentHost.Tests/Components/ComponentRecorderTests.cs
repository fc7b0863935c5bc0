using Fleet.AgentHost.Components;
using Fleet.AgentHost.Tests.Support;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Tests.Components;

public sealed class ComponentRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SampleNow_AfterStart_JoulesSinceStartAtClusterTimeForAvailableMetersOnly()
    {
        var rapl = new FakeMeter("rapl") { Joules = 5_000 };
        var gpu = new FakeMeter("gpu") { Joules = 70 };
        var missing = new FakeMeter("other", available: false);
        var now = Start;
        // A long interval: only the samples this test asks for.
        await using var recorder = new ComponentRecorder([rapl, gpu, missing], () => now, TimeSpan.FromHours(1));

        await recorder.StartAsync(CancellationToken.None);
        rapl.Joules = 5_123.5;
        gpu.Joules = 80;
        now = Start.AddSeconds(2.5);
        recorder.SampleNow();
        var first = recorder.Drain();
        var second = recorder.Drain();

        Assert.True(rapl.Started && gpu.Started && missing.Started);
        Assert.Equal(
            [new ComponentSample("rapl", Start, 0), new ComponentSample("gpu", Start, 0), new ComponentSample("rapl", Start.AddSeconds(2.5), 123.5), new ComponentSample("gpu", Start.AddSeconds(2.5), 10)],
            first);
        Assert.Empty(second);
    }

    [Fact]
    public async Task StartAsync_ShortInterval_SamplesPeriodicallyAndOnceMoreAtStop()
    {
        var rapl = new FakeMeter("rapl");
        var recorder = new ComponentRecorder([rapl], () => DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(20));
        var samples = new List<ComponentSample>();

        await recorder.StartAsync(CancellationToken.None);
        await Condition.WaitAsync(
            () =>
            {
                rapl.Joules += 1;
                samples.AddRange(recorder.Drain());
                return samples.Count >= 4;
            },
            TimeSpan.FromSeconds(30),
            "four samples at a 20 ms interval");
        rapl.Joules = 1_000;
        await recorder.StopAsync();
        samples.AddRange(recorder.Drain());

        Assert.Equal(1_000, samples[^1].Joules);
        Assert.All(samples.Zip(samples.Skip(1)), pair => Assert.True(pair.Second.At >= pair.First.At && pair.Second.Joules >= pair.First.Joules));
    }

    [Fact]
    public async Task SampleNow_MeterReadFails_LeavesTheSampleOutInsteadOfZero()
    {
        var rapl = new FakeMeter("rapl") { Joules = 10 };
        await using var recorder = new ComponentRecorder([rapl], () => Start, TimeSpan.FromHours(1));
        await recorder.StartAsync(CancellationToken.None);
        _ = recorder.Drain();

        rapl.Broken = true;
        recorder.SampleNow();

        Assert.Empty(recorder.Drain());
        Assert.Equal(1, recorder.ReadFailures);
    }

    [Fact]
    public async Task SampleNow_MeterTurnedUnavailable_SkipsItAndStatusesSayWhy()
    {
        var gpu = new FakeMeter("gpu");
        await using var recorder = new ComponentRecorder([gpu], () => Start, TimeSpan.FromHours(1));
        await recorder.StartAsync(CancellationToken.None);
        _ = recorder.Drain();

        gpu.Status = gpu.Status with { Available = false, Reason = "nvidia-smi exited" };
        recorder.SampleNow();

        Assert.Empty(recorder.Drain());
        Assert.Equal("nvidia-smi exited", Assert.Single(recorder.Statuses).Reason);
    }
}
