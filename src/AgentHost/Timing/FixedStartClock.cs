using Fleet.OmegaWatt.Protocol;

namespace Fleet.AgentHost.Timing;

/// <summary>
/// For replayed captures: the first frame is at a given UTC time and every frame-id step is
/// exactly 10 ms, whatever the replay speed.
/// </summary>
public sealed class FixedStartClock : IFrameClock
{
    private readonly long _startUnixMicroseconds;

    public FixedStartClock(DateTimeOffset start) => _startUnixMicroseconds = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public ClockHealth Health { get; } = new(0, 0, 0);

    public long Timestamp(long sequence, long receivedUnixMicroseconds) => _startUnixMicroseconds + (sequence * FrameLayout.FramePeriodMicroseconds);
}
