using System.Diagnostics;
using System.Globalization;
using Fleet.AgentHost.Runner.Activity;

namespace Fleet.AgentHost.Tests.Runner.Activity;

/// <summary>The runner's activity: CPU cores used by a process and everything it started, from /proc.</summary>
public sealed class ProcessTreeActivityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sample_BusyGrandchild_CountsItsCore()
    {
        // The spinning loop is a child of the started shell: only a tree walk sees it.
        using var shell = Start("sh", "-c", "sh -c 'while :; do :; done' & wait");
        try
        {
            var activity = new ProcessTreeActivity(shell.Id);

            var cores = await WaitForSampleAsync(activity, c => c > 0.5, "the busy grandchild to show above 0.5 cores");

            Assert.InRange(cores, 0.5, 1.2);
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Sample_ShellLoopOfShortLivedCommands_CountsTheirCpuOnceReaped()
    {
        // Each `expr` lives for a fraction of a sample: only the shell's reaped-children time sees it.
        using var shell = Start("sh", "-c", "while :; do expr 1 + 1 > /dev/null; done");
        try
        {
            var activity = new ProcessTreeActivity(shell.Id);

            var cores = await WaitForSampleAsync(activity, c => c > 0.5, "a loop of short-lived commands to show above 0.5 cores");

            Assert.InRange(cores, 0.5, 1.5);
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Sample_SleepingProcess_NearZero()
    {
        using var sleeper = Start("sleep", "60");
        try
        {
            var activity = new ProcessTreeActivity(sleeper.Id);

            var cores = await WaitForSampleAsync(activity, c => c < 0.05, "the sleeping process to show below 0.05 cores");

            Assert.InRange(cores, 0, 0.05);
        }
        finally
        {
            sleeper.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Sample_ProcessGone_ZeroNotAnError()
    {
        using var quick = Start("true");
        quick.WaitForExit();
        var activity = new ProcessTreeActivity(quick.Id);

        Assert.Equal(0, activity.Sample());
    }

    [Theory]
    [InlineData("1234 (sh) S 99 1234 1234 0 -1 4194560 100 0 0 0 250 17 0 0 20 0 1 0 5000 1 1", 99, 267, 5000)]
    [InlineData("1234 (sh) S 99 1234 1234 0 -1 4194560 100 0 0 0 250 17 30 3 20 0 1 0 5000 1 1", 99, 300, 5000)]
    [InlineData("77 (a) b (c) R 1 77 77 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 42 1 1", 1, 7, 42)]
    public void ProcStat_CommandNameWithSpacesAndParentheses_FieldsFromTheLastParenthesis(string line, int parent, long ticks, long start)
    {
        Assert.True(ProcStat.TryParse(line, out var stat));

        Assert.Equal(new ProcStat(parent, ticks, start), stat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234 sh S 99")]
    [InlineData("1234 (sh) S x 1234")]
    public void ProcStat_NotAStatLine_Refused(string line)
    {
        Assert.False(ProcStat.TryParse(line, out _));
    }

    private static Process Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>Samples every 250 ms until <paramref name="condition"/> holds; a machine busy with other work may need a few windows.</summary>
    private static async Task<double> WaitForSampleAsync(ProcessTreeActivity activity, Func<double, bool> condition, string what)
    {
        var seen = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            await Task.Delay(250);
            var cores = activity.Sample();
            if (condition(cores))
            {
                return cores;
            }

            seen.Add(cores);
        }

        throw new TimeoutException($"timed out after {Timeout.TotalSeconds} s waiting for {what}; samples: {string.Join(", ", seen.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}");
    }
}
