using System.IO.Pipelines;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.AgentHost.Sources;

/// <summary>A box that exists only in software: demos and load tests without hardware.</summary>
public sealed class SimulatedBoxSource : IByteSource
{
    private readonly BoxSimulator _simulator;
    private readonly bool _realTime;
    private readonly long? _frames;
    private readonly TimeProvider _time;

    /// <param name="options">Plugs and loads of the simulated box.</param>
    /// <param name="realTime">One frame every 10 ms like a real box; otherwise as fast as the consumer takes them.</param>
    /// <param name="frames">Stop after this many frames; null runs until cancelled.</param>
    /// <param name="time">Clock for real-time pacing.</param>
    public SimulatedBoxSource(BoxSimulatorOptions options, bool realTime, long? frames = null, TimeProvider? time = null)
    {
        _simulator = new BoxSimulator(options);
        _realTime = realTime;
        _frames = frames;
        _time = time ?? TimeProvider.System;
        Description = $"simulated box, {options.Plugs} plugs, {(realTime ? "real time" : "max rate")}";
    }


    public string Description { get; }

    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var started = _time.GetTimestamp();
        long written = 0;
        while (_frames is null || written < _frames)
        {
            // Real time: everything due by now, at most one second's worth per write.
            var due = _realTime
                ? Math.Min((long)(_time.GetElapsedTime(started).Ticks / FrameLayout.FramePeriod.Ticks) + 1 - written, FrameLayout.FramesPerSecond)
                : FrameLayout.FramesPerSecond;
            if (_frames is long limit)
            {
                due = Math.Min(due, limit - written);
            }

            if (due <= 0)
            {
                // Wake up a few times a second, not once per frame: the frames due meanwhile go
                // out in one write, as a USB adapter hands them over in bursts too.
                await Task.Delay(PacedSource.WakeInterval, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var span = output.GetSpan((int)due * _simulator.FrameLength);
            var length = 0;
            for (var k = 0; k < due; k++)
            {
                length += _simulator.WriteNextFrame(span[length..]);
            }

            output.Advance(length);
            written += due;
            var flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted)
            {
                return;
            }
        }
    }
}
