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
    public void Line_ClusterAwayPastTheCap_OldestDropped_TheLogSaysHowManyWhereTheyWere()
    {
        var outbox = new JobOutbox("exp");
        var extra = 25;
        for (var k = 0; k < JobOutbox.MaxPendingLines + extra; k++)
        {
            outbox.Line(At.AddMilliseconds(k), LogSource.Stdout, "l");
        }

        var report = outbox.Snapshot("s", maxLines: 10)!;

        Assert.Equal(extra, outbox.DroppedLines);
        var notice = report.Logs[0];
        Assert.Equal(extra, notice.Sequence);
        Assert.Equal(LogSource.Stderr, notice.Source);
        Assert.StartsWith($"[fleet: {extra} lines of output dropped here", notice.Text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(extra + 1, 9).Select(k => (long)k), report.Logs.Skip(1).Select(l => l.Sequence));

        // Told once: the next report starts where this one ended.
        outbox.Acknowledge(report);
        var next = outbox.Snapshot("s", maxLines: 10)!;
        Assert.Equal(extra + 10, next.Logs[0].Sequence);
        Assert.Equal(LogSource.Stdout, next.Logs[0].Source);
    }

    [Fact]
    public void Line_PendingCharactersPastTheCap_OldestDropped()
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
