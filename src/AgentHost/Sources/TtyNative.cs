using System.Runtime.InteropServices;

namespace Fleet.AgentHost.Sources;

/// <summary>
/// The libc calls <see cref="TtyPort"/> needs (Linux, glibc; the constants are the generic Linux
/// ones, the same on x86-64 and arm64).
/// </summary>
internal static unsafe partial class TtyNative
{
    public const int ReadWrite = 0x2;
    public const int NoControllingTerminal = 0x100;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;

    public const short PollIn = 0x1;

    public const int Interrupted = 4;
    public const int TryAgain = 11;
    public const int NoSuchFile = 2;
    public const int PermissionDenied = 13;

    /// <summary>ioctl TIOCEXCL: no other open of the port while we hold it (what System.IO.Ports did too).</summary>
    public const nuint Exclusive = 0x540C;

    public const int SetNow = 0;

    /// <summary>struct termios is 60 bytes on Linux; room to spare.</summary>
    public const int TermiosLength = 128;

    public const int ControlFlagsOffset = 8;
    public const int InputFlagsOffset = 0;
    public const int ControlCharsOffset = 17;
    public const int TimeIndex = 5;
    public const int MinimumIndex = 6;

    public const uint TwoStopBits = 0x40;
    public const uint ReceiverOn = 0x80;
    public const uint IgnoreModemLines = 0x800;
    public const uint HardwareFlowControl = 0x80000000;
    public const uint SoftwareFlowControlIn = 0x1000;
    public const uint SoftwareFlowControlAny = 0x800;
    public const uint SoftwareFlowControlOut = 0x400;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int descriptor, byte* buffer, nint length);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int descriptor, byte* buffer, nint length);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe(int* descriptors, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Control(int descriptor, nuint request);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int GetAttributes(int descriptor, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int SetAttributes(int descriptor, int when, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    public static partial void MakeRaw(byte* termios);

    /// <summary>glibc takes the rate itself (921600) as well as its B921600 code.</summary>
    [LibraryImport("libc", EntryPoint = "cfsetspeed", SetLastError = true)]
    public static partial int SetSpeed(byte* termios, uint baud);
}
