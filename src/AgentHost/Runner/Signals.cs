using System.Runtime.InteropServices;

namespace Fleet.AgentHost.Runner;

/// <summary>POSIX signals .NET has no API for: a polite SIGTERM before Process.Kill's SIGKILL.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Asks the process (and, when it leads one, its process group) to terminate; false when it is gone already.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
