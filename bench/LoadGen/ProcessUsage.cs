using System.Globalization;

namespace Fleet.LoadGen;

/// <summary>CPU time and resident memory of a process, read from /proc (Linux).</summary>
internal readonly record struct ProcessUsage(double CpuSeconds, long RssBytes)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    public static ProcessUsage Read(int pid)
    {
        // /proc/PID/stat: fields 14 and 15 (utime, stime) after the parenthesised command name.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new ProcessUsage(ticks / TicksPerSecond, kilobytes * 1024);
    }

    /// <summary>Share of one core used between <paramref name="before"/> and this reading over <paramref name="wallSeconds"/>.</summary>
    public double CoreShareSince(ProcessUsage before, double wallSeconds) => (CpuSeconds - before.CpuSeconds) / wallSeconds;
}
