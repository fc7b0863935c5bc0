using Fleet.AgentHost.Runner;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Tests.Runner;

public sealed class JobOutboxTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_LongLines_ReportHoldsAtMostMaxReportChars_TheRestFollowsInOrder()
    {
        var outbox = new JobOutbox("exp");
        var line = new string('l', LogLine.MaxChars);
        var count = (JobOutbox.MaxReportChars / LogLine.MaxChars) * 3;
        for (var k = 0; k < count; k++)
        {
            outbox.Line(At, LogSource.Stdout, line);
        }

        outbox.Ended(new RunOutcome(0, At, At, null, false));
        var sequences = new List<long>();
        RunReport? report;
        var reports = 0;
        while ((report = outbox.Snapshot("s")) is not null)
        {
            Assert.True(report.Logs.Sum(l => l.Text.Length) <= JobOutbox.MaxReportChars, $"report {reports} holds {report.Logs.Sum(l => l.Text.Length)} characters");
            // The outcome comes with the last lines, not before.
            Assert.Equal(sequences.Count + report.Logs.Count == count, report.Outcome is not null);
            sequences.AddRange(report.Logs.Select(l => l.Sequence));
            outbox.Acknowledge(report);
            reports++;
        }

        Assert.Equal(3, reports);
        Assert.Equal(Enumerable.Range(1, count).Select(k => (long)k), sequences);
        Assert.True(outbox.Delivered);
    }

    [Fact]
    public void Line_PastTheCap_NewestDropped_OneNoticeWhereTheyWereSaysHowMany_LinesResumeAfterIt()
    {
        var outbox = new JobOutbox("exp");
        const int extra = 25;
        for (var k = 0; k < JobOutbox.MaxPendingLines + extra; k++)
        {
            outbox.Line(At.AddMilliseconds(k), LogSource.Stdout, "l");
        }

        var report = outbox.Snapshot("s", maxLines: int.MaxValue)!;
        outbox.Acknowledge(report);
        outbox.Line(At, LogSource.Stdout, "back");
        var next = outbox.Snapshot("s")!;

        Assert.Equal(extra, outbox.DroppedLines);
        Assert.Equal(JobOutbox.MaxPendingLines + 1, report.Logs.Count);
        Assert.Equal(Enumerable.Range(1, JobOutbox.MaxPendingLines + 1).Select(k => (long)k), report.Logs.Select(l => l.Sequence));
        var notice = report.Logs[^1];
        Assert.Equal(LogSource.Stderr, notice.Source);
        Assert.Equal(At.AddMilliseconds(JobOutbox.MaxPendingLines), notice.At);
        Assert.StartsWith($"[fleet: {extra} lines of output dropped here: more than the runner could send", notice.Text, StringComparison.Ordinal);
        var resumed = Assert.Single(next.Logs);
        Assert.Equal(("back", JobOutbox.MaxPendingLines + extra + 1L), (resumed.Text, resumed.Sequence));
    }

    [Fact]
    public void Line_PastTheCapWhileAReportIsOnItsWay_ItsLinesStay_ANoticeAlreadySentIsNotChangedButFollowed()
    {
        var outbox = new JobOutbox("exp");
        for (var k = 0; k < JobOutbox.MaxPendingLines; k++)
        {
            outbox.Line(At, LogSource.Stdout, "l");
        }

        // A report is on its way when the command prints on: the report's lines are not the ones dropped.
        var first = outbox.Snapshot("s")!;
        outbox.Line(At, LogSource.Stdout, "dropped 1");
        outbox.Line(At, LogSource.Stdout, "dropped 2");
        outbox.Acknowledge(first);
        var second = outbox.Snapshot("s", maxLines: int.MaxValue)!;
        // The notice is on its way too: new drops get a notice of their own.
        for (var k = 0; k < JobOutbox.MaxReportLines - 1; k++)
        {
            outbox.Line(At, LogSource.Stdout, "l");
        }

        outbox.Line(At, LogSource.Stdout, "dropped 3");
        outbox.Acknowledge(second);
        var third = outbox.Snapshot("s", maxLines: int.MaxValue)!;

        Assert.Equal(Enumerable.Range(1, JobOutbox.MaxReportLines).Select(k => (long)k), first.Logs.Select(l => l.Sequence));
        Assert.Equal(JobOutbox.MaxPendingLines - JobOutbox.MaxReportLines + 1, second.Logs.Count);
        Assert.StartsWith("[fleet: 2 lines of output dropped here", second.Logs[^1].Text, StringComparison.Ordinal);
        Assert.Equal(JobOutbox.MaxPendingLines + 1L, second.Logs[^1].Sequence);
        Assert.Equal(JobOutbox.MaxReportLines, third.Logs.Count);
        var notice = third.Logs[^1];
        Assert.StartsWith("[fleet: 1 line of output dropped here", notice.Text, StringComparison.Ordinal);
        Assert.Equal(JobOutbox.MaxPendingLines + JobOutbox.MaxReportLines + 2L, notice.Sequence);
        Assert.Equal(3, outbox.DroppedLines);
    }

    [Fact]
    public void Line_PendingCharactersPastTheCap_NewestDropped()
    {
        var outbox = new JobOutbox("exp");
        var line = new string('c', LogLine.MaxChars);
        var kept = (int)(JobOutbox.MaxPendingChars / LogLine.MaxChars);
        for (var k = 0; k < kept + 3; k++)
        {
            outbox.Line(At, LogSource.Stdout, line);
        }

        Assert.Equal(3, outbox.DroppedLines);
    }
}
