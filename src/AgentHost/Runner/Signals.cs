using System.Runtime.InteropServices;

namespace Fleet.AgentHost.Runner;

/// <summary>POSIX signals .NET has no API for: a polite SIGTERM before Process.Kill's SIGKILL.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Asks every process of the group <paramref name="processGroup"/> to terminate; false when none is left.</summary>
    public static bool TerminateGroup(int processGroup) => Kill(-processGroup, SigTerm) == 0;

    /// <summary>Asks one process to terminate; false when it is gone already.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>Kills every process of the group <paramref name="processGroup"/>: what a command left behind.</summary>
    public static void KillGroup(int processGroup) => Kill(-processGroup, SigKill);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
