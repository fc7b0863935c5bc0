using BenchmarkDotNet.Attributes;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.OmegaWatt.Benchmarks;

/// <summary>
/// Frame decoding throughput on a large capture, per frame (OperationsPerInvoke), against the
/// vendor-style baseline that makes one read call per byte from an unbuffered file.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class DecodeBenchmarks
{
    private const int Frames = 100_000;
    private byte[] _capture = [];
    private string _captureFile = "";

    [Params(6, 36)]
    public int Plugs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var simulator = new BoxSimulator(new BoxSimulatorOptions
        {
            Plugs = Plugs,
            Loads = [.. Enumerable.Range(0, Plugs).Select(k => (ILoadProfile?)new SquareWaveLoad(50 + k, 250, 2))],
            PowerNoiseWatts = 2,
        });
        _capture = simulator.Capture(Frames);
        // Prefer tmpfs so the baseline measures read calls, not the disk.
        var directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _captureFile = Path.Combine(directory, $"fleet-bench-{Plugs}-{Environment.ProcessId}.bin");
        File.WriteAllBytes(_captureFile, _capture);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_captureFile);

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames, Description = "one byte per read (vendor style)")]
    public double OneBytePerRead()
    {
        using var file = new FileStream(_captureFile, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var (frames, watts) = new OneBytePerReadDecoder().ReadAll(file);
        return frames == Frames ? watts : throw new InvalidOperationException($"baseline read {frames} frames");
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "FrameDecoder, span in memory, all values")]
    public double SpanInMemory()
    {
        var decoder = new FrameDecoder();
        Span<float> volts = stackalloc float[FrameLayout.Phases];
        Span<float> currents = stackalloc float[FrameLayout.MaxPlugs];
        Span<float> powers = stackalloc float[FrameLayout.MaxPlugs];
        ReadOnlySpan<byte> buffer = _capture;
        double watts = 0;
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            frame.CopyValuesTo(volts, currents, powers);
            watts += powers[0];
        }

        return decoder.Counters.FramesValid == Frames ? watts : throw new InvalidOperationException("frames lost");
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "FramePipeReader over the file (the CLI's path)")]
    public async Task<double> PipeFromFile()
    {
        await using var file = new FileStream(_captureFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var sum = new PowerSum();
        var summary = await FramePipeReader.ReadAllAsync(file, new FrameDecoder(), sum);
        return summary.Counters.FramesValid == Frames ? sum.Watts : throw new InvalidOperationException("frames lost");
    }

    private sealed class PowerSum : IFrameHandler
    {
        private readonly float[] _volts = new float[FrameLayout.Phases];
        private readonly float[] _currents = new float[FrameLayout.MaxPlugs];
        private readonly float[] _powers = new float[FrameLayout.MaxPlugs];

        public double Watts { get; private set; }

        public void OnFrame(in Frame frame)
        {
            frame.CopyValuesTo(_volts, _currents, _powers);
            Watts += _powers[0];
        }
    }
}
