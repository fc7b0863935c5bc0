namespace Fleet.AgentHost.Timing;

/// <summary>Gives each frame its UTC time from its sequence number (10 ms per frame-id step).</summary>
public interface IFrameClock
{
    /// <summary>The frame's time in Unix microseconds; non-decreasing in <paramref name="sequence"/>.</summary>
    /// <param name="sequence">Frame periods since the first frame (the decoder's unwrapped sequence).</param>
    /// <param name="receivedUnixMicroseconds">When the host read the bytes that completed the frame.</param>
    long Timestamp(long sequence, long receivedUnixMicroseconds);

    ClockHealth Health { get; }
}
