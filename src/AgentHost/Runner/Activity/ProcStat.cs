using System.Globalization;

namespace Fleet.AgentHost.Runner.Activity;

/// <summary>The fields of one <c>/proc/PID/stat</c> line that activity needs.</summary>
/// <param name="ParentId">ppid (field 4).</param>
/// <param name="CpuTicks">
/// utime + stime + cutime + cstime (fields 14 to 17), in clock ticks: the process's CPU and that
/// of the children it has reaped, so a shell loop's short-lived commands are not lost between two samples.
/// </param>
/// <param name="StartTicks">starttime (field 22): tells a reused pid from the process that had it before.</param>
internal readonly record struct ProcStat(int ParentId, long CpuTicks, long StartTicks)
{
    /// <summary>
    /// Parses a stat line. The command name (field 2) is in parentheses and may itself hold spaces
    /// and parentheses, so fields are counted from the last ')'.
    /// </summary>
    public static bool TryParse(string line, out ProcStat stat)
    {
        stat = default;
        var close = line.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        // After ')': state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17) … starttime(22), i.e. indexes 0, 1, 11 to 14, 19.
        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            || !long.TryParse(fields[13], NumberStyles.None, CultureInfo.InvariantCulture, out var childrenUser)
            || !long.TryParse(fields[14], NumberStyles.None, CultureInfo.InvariantCulture, out var childrenSystem)
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return false;
        }

        stat = new ProcStat(parent, user + system + childrenUser + childrenSystem, started);
        return true;
    }
}
