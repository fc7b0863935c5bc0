using System.Runtime.InteropServices;
using static Fleet.AgentHost.Sources.TtyNative;

namespace Fleet.AgentHost.Sources;

/// <summary>
/// A serial port read the way the vendor's C reader does it: termios raw 8N1 at the box's rate,
/// then the thread sleeps in <c>poll()</c> until bytes arrive and one <c>read()</c> takes all
/// that have. System.IO.Ports on Linux instead polls the tty with a 1 ms timeout while a read is
/// pending (about a thousand wake-ups a second), which cost an idle agent 6.6 points of a core
/// (BENCHMARKS.md, "Agent CPU"). A pipe wakes the poll when reading must stop.
/// Not thread-safe: one thread reads; <see cref="Wake"/> may be called from any thread.
/// </summary>
internal sealed unsafe class TtyPort : IDisposable
{
    private readonly int _port;
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private int _disposed;

    private TtyPort(int port, int wakeRead, int wakeWrite)
    {
        _port = port;
        _wakeRead = wakeRead;
        _wakeWrite = wakeWrite;
    }

    /// <summary>
    /// Opens <paramref name="path"/> raw, 8N1, no flow control, at <paramref name="baudRate"/>.
    /// Throws <see cref="FileNotFoundException"/> when it does not exist,
    /// <see cref="UnauthorizedAccessException"/> when this user may not open it, and
    /// <see cref="IOException"/> otherwise, each saying what to do.
    /// </summary>
    public static TtyPort Open(string path, int baudRate)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the agent reads serial ports on Linux only");
        }

        // No controlling terminal: a hang-up (unplug) must not send the agent SIGHUP.
        // Non-blocking: open does not wait for modem lines, and reads never block (poll does).
        var port = TtyNative.Open(path, ReadWrite | NoControllingTerminal | NonBlocking | CloseOnExec);
        if (port < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                NoSuchFile => new FileNotFoundException($"{path} does not exist (is the box plugged in?)", path),
                PermissionDenied => new UnauthorizedAccessException($"permission denied opening {path}: add this user to the device's group (usually dialout) and log in again"),
                _ => new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(error)}"),
            };
        }

        var pipe = stackalloc int[2];
        try
        {
            Check(Control(port, Exclusive), path, "lock");
            // No tcflush: whatever the driver already holds is real frames, not stale noise.
            Configure(port, path, baudRate);
            Check(Pipe(pipe, NonBlocking | CloseOnExec), path, "make the wake-up pipe for");
        }
        catch
        {
            _ = Close(port);
            throw;
        }

        return new TtyPort(port, pipe[0], pipe[1]);
    }

    /// <summary>
    /// Waits until bytes arrive and reads what has arrived, up to <paramref name="buffer"/>'s
    /// length. Returns the count; 0 when the port hung up (unplugged); -1 when <see cref="Wake"/>
    /// was called. Throws <see cref="IOException"/> when the device fails.
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        var descriptors = stackalloc PollDescriptor[2];
        while (true)
        {
            descriptors[0] = new PollDescriptor { Descriptor = _port, Events = PollIn };
            descriptors[1] = new PollDescriptor { Descriptor = _wakeRead, Events = PollIn };
            if (Poll(descriptors, 2, -1) < 0)
            {
                ThrowUnlessInterrupted("wait for");
                continue;
            }

            if (descriptors[1].ReturnedEvents != 0)
            {
                return -1;
            }

            fixed (byte* bytes = buffer)
            {
                var read = TtyNative.Read(_port, bytes, buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }
            }

            // EAGAIN: poll woke for nothing (another reader, a line event); wait again.
            if (Marshal.GetLastPInvokeError() != TryAgain)
            {
                ThrowUnlessInterrupted("read");
            }
        }
    }

    /// <summary>Sleeps <paramref name="milliseconds"/> unless <see cref="Wake"/> is called; false when woken.</summary>
    public bool Pause(int milliseconds)
    {
        var descriptor = new PollDescriptor { Descriptor = _wakeRead, Events = PollIn };
        return Poll(&descriptor, 1, milliseconds) == 0;
    }

    /// <summary>Makes a waiting or later <see cref="Read"/> return -1 (and <see cref="Pause"/> false).</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            byte one = 1;
            // A full pipe is already a wake-up.
            _ = Write(_wakeWrite, &one, 1);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = Close(_port);
            _ = Close(_wakeRead);
            _ = Close(_wakeWrite);
        }
    }

    private static void Configure(int port, string path, int baudRate)
    {
        var termios = stackalloc byte[TermiosLength];
        Check(GetAttributes(port, termios), path, "read the settings of");
        // Raw: no line editing, no echo, no CR/LF translation, 8 data bits, no parity.
        MakeRaw(termios);
        var control = (uint*)(termios + ControlFlagsOffset);
        *control = (*control | ReceiverOn | IgnoreModemLines) & ~(TwoStopBits | HardwareFlowControl);
        var input = (uint*)(termios + InputFlagsOffset);
        *input &= ~(SoftwareFlowControlIn | SoftwareFlowControlOut | SoftwareFlowControlAny);
        // A read returns as soon as one byte is there: poll() decides when to read.
        termios[ControlCharsOffset + MinimumIndex] = 1;
        termios[ControlCharsOffset + TimeIndex] = 0;
        if (SetSpeed(termios, (uint)baudRate) != 0)
        {
            throw new IOException($"cannot set {path} to {baudRate} baud: not a rate this system knows");
        }

        Check(SetAttributes(port, SetNow, termios), path, "configure");
    }

    private static void Check(int result, string path, string what)
    {
        if (result != 0)
        {
            throw new IOException($"cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    private static void ThrowUnlessInterrupted(string what)
    {
        var error = Marshal.GetLastPInvokeError();
        if (error != Interrupted)
        {
            throw new IOException($"cannot {what} the port: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }
}
