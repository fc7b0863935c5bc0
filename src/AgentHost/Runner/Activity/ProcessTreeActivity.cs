using System.Globalization;

namespace Fleet.AgentHost.Runner.Activity;

/// <summary>
/// The CPU a process and all its descendants use, in cores (1 = one core busy all the time),
/// measured from <c>/proc</c> as the CPU time they gained between two samples over the wall time
/// between them. Linux only; elsewhere every sample is 0.
/// </summary>
public sealed class ProcessTreeActivity
{
    /// <summary>
    /// Clock ticks per second of /proc's utime and stime: USER_HZ, which the kernel fixes at 100
    /// for user space on every architecture Linux runs servers on (whatever its internal HZ), so
    /// no sysconf(_SC_CLK_TCK) call is needed.
    /// </summary>
    public const double TicksPerSecond = 100;

    private readonly int _rootId;
    private readonly TimeProvider _time;
    private readonly string _proc;
    private Dictionary<(int Pid, long Start), long> _lastTicks = [];
    private long _lastTimestamp;

    /// <param name="processId">The root of the tree: the runner itself, or the command it started.</param>
    /// <param name="time">Wall clock for the rate.</param>
    /// <param name="procDirectory">Where /proc is (tests may point elsewhere).</param>
    public ProcessTreeActivity(int processId, TimeProvider? time = null, string procDirectory = "/proc")
    {
        _rootId = processId;
        _time = time ?? TimeProvider.System;
        _proc = procDirectory;
        Sample();
    }

    /// <summary>
    /// The cores the tree used since the previous sample (or since construction), counting the
    /// children each process reaped (cutime), less what the gone ones had already counted. A
    /// process reaped outside the tree (the root itself) loses its last interval's time.
    /// </summary>
    public double Sample()
    {
        var now = _time.GetTimestamp();
        var ticks = TreeTicks();
        long gained = 0;
        foreach (var (process, total) in ticks)
        {
            gained += total - _lastTicks.GetValueOrDefault(process);
        }

        // A process gone since the last sample was reaped by its parent, whose children's time
        // (cutime) just grew by the gone one's whole life: only what it used since it was last
        // seen is new.
        foreach (var (process, total) in _lastTicks)
        {
            if (!ticks.ContainsKey(process))
            {
                gained -= total;
            }
        }

        var seconds = _lastTimestamp == 0 ? 0 : _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTicks = ticks;
        _lastTimestamp = now;
        return seconds <= 0 ? 0 : Math.Max(0, gained / TicksPerSecond / seconds);
    }

    /// <summary>CPU ticks of every process in the tree now, keyed by pid and start time.</summary>
    private Dictionary<(int Pid, long Start), long> TreeTicks()
    {
        var stats = new Dictionary<int, ProcStat>();
        IEnumerable<string> directories;
        try
        {
            directories = Directory.EnumerateDirectories(_proc);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        foreach (var directory in directories)
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (ProcStat.TryParse(File.ReadAllText(Path.Combine(directory, "stat")), out var stat))
                {
                    stats[pid] = stat;
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The process ended between listing and reading: it is no longer in the tree.
            }
        }

        var children = stats.ToLookup(s => s.Value.ParentId, s => s.Key);
        var tree = new Dictionary<(int Pid, long Start), long>();
        var pending = new Stack<int>();
        pending.Push(_rootId);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!stats.TryGetValue(pid, out var stat) || !tree.TryAdd((pid, stat.StartTicks), stat.CpuTicks))
            {
                continue;
            }

            foreach (var child in children[pid])
            {
                pending.Push(child);
            }
        }

        return tree;
    }
}
