using System.Diagnostics;
using System.IO.Pipelines;
using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Sources;
using Fleet.AgentHost.Tests.Support;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;
using Fleet.Tests.Common;

namespace Fleet.AgentHost.Tests.Sources;

public sealed class ReplaySourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task StreamSource_NoisyCaptureAtMaxRate_DecodesAllExpectedFrames()
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        var handler = new CollectingHandler();
        var decoder = new FrameDecoder();

        var summary = await SourceReader.RunAsync(StreamSource.File(expected.CapturePath), decoder, handler, CancellationToken.None);

        Assert.Equal(expected.Rows.Select(r => r.FrameId), handler.Frames.Select(f => f.FrameId));
        Assert.Equal(expected.FramesBadCrc, summary.Counters.FramesBadCheck);
        Assert.Equal(expected.FramesMissingById, summary.Counters.FramesMissingById);
        Assert.Equal(38, summary.TruncatedTailBytes);
    }

    [Fact]
    public async Task RealTimeReplay_NoisyCapture_PassesEveryByteThroughAtTheBoxPace()
    {
        // 80 frame periods with garbage, bad frames, gaps and a cut tail: 0.8 s of box time.
        var prefix = Fixtures.Generate(_directory, "short", "--frames", "80", "--noise", "--seed", "11");
        var capture = await File.ReadAllBytesAsync(prefix + ".bin");
        var expected = ExpectedCapture.Load(prefix);
        var pipe = new Pipe();
        var clock = Stopwatch.StartNew();

        await new RealTimeReplaySource(prefix + ".bin").RunAsync(pipe.Writer, CancellationToken.None);
        var elapsed = clock.Elapsed;
        await pipe.Writer.CompleteAsync();
        var replayed = await ReadAllAsync(pipe.Reader);

        Assert.Equal(capture, replayed);
        var lastSequence = LastSequence(capture);
        // The last frame is released at its own time, not before: pacing, not a throughput claim.
        Assert.True(elapsed >= TimeSpan.FromMilliseconds((lastSequence * 10) - 20), $"replayed {lastSequence} frame periods in {elapsed}");
        Assert.True(expected.Rows.Count > 60);
    }

    [Fact]
    public async Task SimulatedBox_MaxRateWithFrameLimit_DeliversExactlyThatManyFramesOfTheProfile()
    {
        var options = new BoxSimulatorOptions { Plugs = 12, Loads = [new ConstantLoad(100), null, new SquareWaveLoad(0, 200, PeriodSeconds: 1)] };
        var source = new SimulatedBoxSource(options, realTime: false, frames: 1_000);
        var statistics = new FrameStatistics();

        var summary = await SourceReader.RunAsync(source, new FrameDecoder(), statistics, CancellationToken.None);

        var snapshot = statistics.Snapshot();
        Assert.Equal(1_000, summary.Counters.FramesValid);
        Assert.Equal(0, summary.Counters.FramesMissingById);
        Assert.Equal(12, summary.Counters.Plugs);
        Assert.Equal(1_000.0, snapshot.EnergyJoules[0], 0.01);
        Assert.Equal(0.0, snapshot.EnergyJoules[1]);
        Assert.Equal(1_000.0, snapshot.EnergyJoules[2], 0.01);
    }

    private static long LastSequence(byte[] capture)
    {
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> rest = capture;
        long last = 0;
        while (decoder.TryReadFrame(ref rest, out var frame))
        {
            last = frame.Sequence;
        }

        return last;
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        using var collected = new MemoryStream();
        await reader.CopyToAsync(collected);
        return collected.ToArray();
    }
}
