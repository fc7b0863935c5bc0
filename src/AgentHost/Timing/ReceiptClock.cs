using Fleet.OmegaWatt.Protocol;

namespace Fleet.AgentHost.Timing;

/// <summary>
/// The clock model for live boxes: <c>t = t0 + 10 ms × sequence</c>, anchored to the host's
/// UTC clock. Receipt times are the frame's real time plus a latency that is never negative
/// but varies (USB polling, scheduling), so the model tracks the smallest recent offset
/// between receipt and model and slews t0 toward it a little at a time: timestamps stay
/// monotonic and jitter-free while following crystal drift. A jump of more than a second
/// (a long stall, the host clock stepped) re-anchors the model; a step back is absorbed
/// gradually (stamps at least 9 ms apart per frame) rather than by bunching frames together.
/// </summary>
public sealed class ReceiptClock : IFrameClock
{
    /// <summary>Frames per correction step (one second).</summary>
    private const int WindowFrames = FrameLayout.FramesPerSecond;

    /// <summary>Most t0 may move per step: 1 ms per second, far below the 10 ms frame step, so time never runs backwards.</summary>
    private const long MaxSlewMicroseconds = 1_000;

    private const long ReanchorThresholdMicroseconds = 1_000_000;

    /// <summary>
    /// Least time between two consecutive frames' stamps (90 % of the period): after the host
    /// clock steps back, stamps close in on it 1 ms per frame instead of bunching, so a second
    /// never holds more than 112 frames (the cluster refuses more than 120 a second).
    /// </summary>
    private const long MinStepMicroseconds = FrameLayout.FramePeriodMicroseconds * 9 / 10;

    private long _t0 = long.MinValue;
    private long _lastTimestamp = long.MinValue;
    private long _lastSequence;
    private long _windowMinimum = long.MaxValue;
    private long _windowMaximum = long.MinValue;
    private int _windowCount;
    private ClockHealth _health = new(0, 0, 0);
    private int _reanchors;

    public ClockHealth Health => _health;

    public long Timestamp(long sequence, long receivedUnixMicroseconds)
    {
        var model = sequence * FrameLayout.FramePeriodMicroseconds;
        if (_t0 == long.MinValue)
        {
            _t0 = receivedUnixMicroseconds - model;
        }

        var offset = receivedUnixMicroseconds - (_t0 + model);
        if (Math.Abs(offset) > ReanchorThresholdMicroseconds)
        {
            _t0 = receivedUnixMicroseconds - model;
            offset = 0;
            _reanchors++;
            ResetWindow();
        }

        _windowMinimum = Math.Min(_windowMinimum, offset);
        _windowMaximum = Math.Max(_windowMaximum, offset);
        if (++_windowCount >= WindowFrames)
        {
            // Frames are never received before they happen: the smallest offset is the latency
            // floor, and a negative one means the model runs late. Slew toward it.
            _t0 += Math.Clamp(_windowMinimum, -MaxSlewMicroseconds, MaxSlewMicroseconds);
            _health = new ClockHealth(_windowMinimum / 1e6, (_windowMaximum - _windowMinimum) / 1e6, _reanchors);
            ResetWindow();
        }

        var earliest = _lastTimestamp == long.MinValue ? long.MinValue : _lastTimestamp + (MinStepMicroseconds * Math.Max(1, sequence - _lastSequence));
        var timestamp = Math.Max(_t0 + model, earliest);
        _lastTimestamp = timestamp;
        _lastSequence = sequence;
        return timestamp;
    }

    private void ResetWindow()
    {
        _windowMinimum = long.MaxValue;
        _windowMaximum = long.MinValue;
        _windowCount = 0;
    }
}
