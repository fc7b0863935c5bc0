using System.Diagnostics;
using Fleet.AgentHost.Runner;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Tests.Runner;

/// <summary>A command run as a runner runs it: real processes, their output, marks, exit codes and cancellation.</summary>
public sealed class CommandJobTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly ClusterClock _clock = new(TimeProvider.System);

    [Fact]
    public async Task Run_PrintsAndMarks_LinesInOrderMarksAtTheirLineAndTheExitCode()
    {
        await using var job = Start(["sh", "-c", "echo hello; printf 'FLEET_MARK  warmup \\n'; echo oops >&2; echo FLEET_MARK; exit 3"]);
        await job.Completion.WaitAsync(Bound);

        var report = job.Outbox.Snapshot("s")!;
        Assert.Equal(3, report.Outcome!.ExitCode);
        Assert.Null(report.Outcome.Error);
        Assert.Equal(["hello", "FLEET_MARK  warmup ", "FLEET_MARK"], report.Logs.Where(l => l.Source == LogSource.Stdout).Select(l => l.Text));
        Assert.Equal("oops", Assert.Single(report.Logs, l => l.Source == LogSource.Stderr).Text);
        var mark = Assert.Single(report.Marks);
        Assert.Equal("warmup", mark.Name);
        Assert.Equal(report.Logs.Single(l => l.Text.StartsWith("FLEET_MARK  warmup", StringComparison.Ordinal)).At, mark.At);
        Assert.Equal(Enumerable.Range(1, 4).Select(k => (long)k), report.Logs.Select(l => l.Sequence).Order());
    }

    [Fact]
    public async Task Run_HugeLineWithoutNewline_KeepsItsStartAndCountsTheRest()
    {
        // 100 000 characters and no newline: binary or a line without end must not grow the runner.
        await using var job = Start(["sh", "-c", "echo before; head -c 100000 /dev/zero | tr '\\0' x; echo; echo after"]);
        await job.Completion.WaitAsync(Bound);

        var lines = job.Outbox.Snapshot("s")!.Logs.Select(l => l.Text).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("before", lines[0]);
        Assert.Equal(new string('x', LogLine.MaxChars), lines[1][..LogLine.MaxChars]);
        Assert.Equal($" … [fleet: {100_000 - LogLine.MaxChars} more characters of this line not kept; lines keep {LogLine.MaxChars}]", lines[1][LogLine.MaxChars..]);
        Assert.Equal("after", lines[2]);
    }

    [Fact]
    public async Task Run_WorkingDirectoryAndEnvironment_AreTheCommands()
    {
        var directory = Directory.CreateTempSubdirectory("fleet-job-").FullName;
        try
        {
            await using var job = Start(["sh", "-c", "pwd; echo $SEED $FLEET_EXPERIMENT"], directory, new Dictionary<string, string> { ["SEED"] = "42" });
            await job.Completion.WaitAsync(Bound);

            var lines = job.Outbox.Snapshot("s")!.Logs.Select(l => l.Text).ToList();
            Assert.Equal([directory, "42 exp-test"], lines);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Run_NoSuchCommand_EndsWithTheReasonAndNoExitCode()
    {
        await using var job = Start(["/no/such/program"]);
        await job.Completion.WaitAsync(Bound);

        var outcome = job.Outbox.Snapshot("s")!.Outcome!;
        Assert.Null(outcome.ExitCode);
        Assert.StartsWith("cannot start '/no/such/program'", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_CommandIgnoringSigterm_IsKilledAfterTheGracePeriod()
    {
        await using var job = Start(["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"], grace: 1);
        await Condition(() => job.Outbox.Snapshot("s")?.Logs.Any(l => l.Text == "ready") == true, "the command to start");
        var cancelled = Stopwatch.StartNew();

        job.Cancel();
        await job.Completion.WaitAsync(Bound);

        var outcome = job.Outbox.Snapshot("s")!.Outcome!;
        Assert.True(outcome.Cancelled);
        Assert.Equal("cancelled", outcome.Error);
        Assert.Equal(137, outcome.ExitCode);
        Assert.True(cancelled.Elapsed >= TimeSpan.FromSeconds(0.9), $"killed {cancelled.Elapsed.TotalSeconds:0.00} s after the cancel: before the grace period");
    }

    [Fact]
    public async Task Cancel_CommandHonouringSigterm_EndsWithoutWaitingForTheGrace()
    {
        await using var job = Start(["sh", "-c", "trap 'echo bye; exit 143' TERM; echo ready; while :; do sleep 0.1; done"], grace: 60);
        await Condition(() => job.Outbox.Snapshot("s")?.Logs.Any(l => l.Text == "ready") == true, "the command to start");

        job.Cancel();
        await job.Completion.WaitAsync(Bound);

        var report = job.Outbox.Snapshot("s")!;
        Assert.Equal(143, report.Outcome!.ExitCode);
        Assert.Contains(report.Logs, l => l.Text == "bye");
    }

    [Fact]
    public async Task Run_BackgroundChildHoldsTheOutput_TheJobEndsWithTheCommandAndTheChildIsKilled()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"fleet-orphan-{Guid.NewGuid():N}");
        await using var job = Start(["sh", "-c", $"(sleep 30; touch {marker}) & echo started; exit 0"]);

        await job.Completion.WaitAsync(Bound);

        Assert.Equal(0, job.Outbox.Snapshot("s")!.Outcome!.ExitCode);
        // The group was killed: the sleeper never reaches its touch (checked by its process, not by time).
        Assert.DoesNotContain(Process.GetProcessesByName("sleep"), p => SafeCommandLine(p).Contains(marker, StringComparison.Ordinal));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Cancel_ShellWithAChild_TerminatesTheWholeGroup()
    {
        await using var job = Start(["sh", "-c", "sleep 300 & echo ready; wait"], grace: 30);
        await Condition(() => job.Outbox.Snapshot("s")?.Logs.Any(l => l.Text == "ready") == true, "the command to start");
        var cancelled = Stopwatch.StartNew();

        job.Cancel();
        await job.Completion.WaitAsync(Bound);

        Assert.True(cancelled.Elapsed < TimeSpan.FromSeconds(20), $"took {cancelled.Elapsed.TotalSeconds:0.0} s: SIGTERM did not reach the child");
        Assert.True(job.Outbox.Snapshot("s")!.Outcome!.Cancelled);
    }

    [Fact]
    public void Outbox_Acknowledged_SendsOnlyWhatIsNewAndTheOutcomeAfterTheLastLine()
    {
        var outbox = new JobOutbox("exp-test");
        var now = DateTimeOffset.UtcNow;
        outbox.Started(now);
        outbox.Line(now, LogSource.Stdout, "a");
        var first = outbox.Snapshot("s", maxLines: 10)!;
        outbox.Line(now, LogSource.Stdout, "b");
        outbox.Ended(new RunOutcome(0, now, now, null, false));

        outbox.Acknowledge(first);
        var second = outbox.Snapshot("s", maxLines: 10)!;
        outbox.Acknowledge(second);

        Assert.Equal(["a"], first.Logs.Select(l => l.Text));
        Assert.Null(first.Outcome);
        Assert.Equal(["b"], second.Logs.Select(l => l.Text));
        Assert.NotNull(second.Outcome);
        Assert.True(outbox.Delivered);
        Assert.Null(outbox.Snapshot("s"));
    }

    [Fact]
    public void ClusterClock_FastestRoundTripWins()
    {
        var clock = new ClusterClock(TimeProvider.System);
        var t = DateTimeOffset.UtcNow;

        clock.Observe(t, t.AddSeconds(5.3), t.AddSeconds(0.6));
        clock.Observe(t, t.AddSeconds(5.01), t.AddSeconds(0.02));
        clock.Observe(t, t.AddSeconds(4.0), t.AddSeconds(1.0));

        Assert.Equal(5.0, clock.OffsetSeconds, 6);
    }

    private static string SafeCommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private CommandJob Start(IReadOnlyList<string> command, string? directory = null, Dictionary<string, string>? environment = null, double grace = 10)
    {
        var job = new CommandJob("exp-test", new RunSpec(command, directory, environment ?? [], 0, grace), _clock, new NoRecorder());
        job.Start();
        return job;
    }

    private static async Task Condition(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
