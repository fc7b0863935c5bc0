namespace Fleet.AgentHost.Sources;

/// <summary>How to open the box's USB serial port and how patiently to wait for it after an unplug.</summary>
public sealed record SerialPortOptions
{
    /// <summary>Device path, e.g. <c>/dev/ttyUSB0</c> (or a stable <c>/dev/serial/by-id/…</c> link).</summary>
    public required string PortName { get; init; }

    /// <summary>The box sends at 921600 baud, 8N1, no flow control.</summary>
    public int BaudRate { get; init; } = 921_600;

    /// <summary>First wait before reopening a lost port; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    public int ReadBufferLength { get; init; } = 16 * 1024;

    /// <summary>
    /// After a read of fewer than <see cref="CoalesceBelowBytes"/>, wait this long before the next
    /// one so that several frames come in one read. 40 ms holds at most ~1.7 KiB of a 48-plug box,
    /// far from the 4 KiB the kernel's tty buffer takes before it throttles the adapter.
    /// </summary>
    public TimeSpan CoalesceInterval { get; init; } = TimeSpan.FromMilliseconds(40);

    public int CoalesceBelowBytes { get; init; } = 1024;
}
