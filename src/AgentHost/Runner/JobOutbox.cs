using System.Globalization;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// What a job has to tell the cluster and has not yet had acknowledged: log lines, marks,
/// samples, its start and its outcome. A report takes a snapshot; only when the cluster took it
/// is it removed, so a lost connection loses nothing and the runner reports when it is back.
/// </summary>
public sealed class JobOutbox
{
    /// <summary>Lines kept unsent (the cluster away, or slower than the command prints); beyond, new lines are dropped and counted.</summary>
    public const int MaxPendingLines = 200_000;

    /// <summary>Characters kept unsent (about 64 MB of memory); beyond, new lines are dropped as above.</summary>
    public const long MaxPendingChars = 32L * 1024 * 1024;

    /// <summary>Characters of log text in one report, so a report stays far below Orleans' message size whatever the lines hold.</summary>
    public const int MaxReportChars = 1024 * 1024;

    /// <summary>Lines in one report.</summary>
    public const int MaxReportLines = 5_000;

    private readonly Lock _gate = new();
    private readonly LinkedList<LogLine> _logs = new();
    private readonly List<PhaseMark> _marks = [];
    private readonly List<ComponentSample> _components = [];
    private readonly List<ActivitySample> _activity = [];
    private long _pendingChars;
    private long _nextSequence = 1;

    // The highest sequence put in a report: those lines may be on their way, so they are never
    // dropped, and a notice put in a report is not changed afterwards.
    private long _handedThrough;
    private LinkedListNode<LogLine>? _openNotice;
    private long _openNoticeCount;
    private DateTimeOffset? _startedAt;
    private bool _startReported;
    private RunOutcome? _outcome;
    private bool _outcomeReported;

    public JobOutbox(string jobId) => JobId = jobId;

    public string JobId { get; }

    /// <summary>Lines dropped unsent since the job started (each run of drops is also told in the log, where they were).</summary>
    public long DroppedLines { get; private set; }

    /// <summary>Whether the cluster has the outcome: the job is over for this runner.</summary>
    public bool Delivered
    {
        get
        {
            lock (_gate)
            {
                return _outcomeReported;
            }
        }
    }

    /// <summary>Whether a report would carry anything.</summary>
    public bool HasNews
    {
        get
        {
            lock (_gate)
            {
                return _logs.Count > 0 || _marks.Count > 0 || _components.Count > 0 || _activity.Count > 0
                    || (_outcome is not null && !_outcomeReported) || (_startedAt is not null && !_startReported);
            }
        }
    }

    /// <summary>Whether more lines wait than one report carries: the next report should go at once.</summary>
    public bool Backlogged
    {
        get
        {
            lock (_gate)
            {
                return _logs.Count > MaxReportLines || _pendingChars > MaxReportChars;
            }
        }
    }

    public void Started(DateTimeOffset at)
    {
        lock (_gate)
        {
            _startedAt ??= at;
        }
    }

    public void Line(DateTimeOffset at, LogSource source, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            var sequence = _nextSequence++;
            if (_logs.Count >= MaxPendingLines || _pendingChars + text.Length > MaxPendingChars)
            {
                // The newest go, as in the agent's spool: what may already be on its way stays,
                // and the notice takes the first dropped line's place and number.
                DroppedLines++;
                if (_openNotice is { } open && open.List is not null && open.Value.Sequence > _handedThrough)
                {
                    _openNoticeCount++;
                    var notice = DropNotice(_openNoticeCount);
                    _pendingChars += notice.Length - open.Value.Text.Length;
                    open.Value = open.Value with { Text = notice };
                }
                else
                {
                    _openNoticeCount = 1;
                    var notice = DropNotice(1);
                    _pendingChars += notice.Length;
                    _openNotice = _logs.AddLast(new LogLine(sequence, at, LogSource.Stderr, notice));
                }

                return;
            }

            _openNotice = null;
            _logs.AddLast(new LogLine(sequence, at, source, text));
            _pendingChars += text.Length;
        }
    }

    public void Mark(string name, DateTimeOffset at)
    {
        lock (_gate)
        {
            _marks.Add(new PhaseMark(name, at));
        }
    }

    public void Components(IReadOnlyList<ComponentSample> samples)
    {
        lock (_gate)
        {
            _components.AddRange(samples);
        }
    }

    public void Activity(ActivitySample sample)
    {
        lock (_gate)
        {
            _activity.Add(sample);
        }
    }

    public void Ended(RunOutcome outcome)
    {
        lock (_gate)
        {
            _outcome ??= outcome;
        }
    }

    /// <summary>
    /// The report to send now: everything pending (at most <paramref name="maxLines"/> lines and
    /// <see cref="MaxReportChars"/> characters of them, at least one line), or null when there is
    /// nothing new. Its lines are not dropped from here on, sent or not.
    /// </summary>
    public RunReport? Snapshot(string session, int maxLines = MaxReportLines)
    {
        lock (_gate)
        {
            var logs = new List<LogLine>();
            var chars = 0L;
            foreach (var line in _logs)
            {
                if (logs.Count >= maxLines || (logs.Count > 0 && chars + line.Text.Length > MaxReportChars))
                {
                    break;
                }

                logs.Add(line);
                chars += line.Text.Length;
            }

            // The outcome goes last, after every line: a follower sees the whole output before "done".
            var outcome = _outcomeReported || logs.Count < _logs.Count ? null : _outcome;
            if (logs.Count == 0 && _marks.Count == 0 && _components.Count == 0 && _activity.Count == 0 && outcome is null && (_startReported || _startedAt is null))
            {
                return null;
            }

            if (logs.Count > 0)
            {
                _handedThrough = Math.Max(_handedThrough, logs[^1].Sequence);
            }

            return new RunReport(session, JobId, logs, [.. _marks], [.. _components], [.. _activity], outcome, _startedAt);
        }
    }

    /// <summary>The cluster took <paramref name="report"/>: forget what it carried.</summary>
    public void Acknowledge(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            var last = report.Logs.Count == 0 ? 0 : report.Logs[^1].Sequence;
            while (_logs.First is { } first && first.Value.Sequence <= last)
            {
                _pendingChars -= first.Value.Text.Length;
                _logs.RemoveFirst();
            }

            _marks.RemoveRange(0, Math.Min(report.Marks.Count, _marks.Count));
            _components.RemoveRange(0, Math.Min(report.Components.Count, _components.Count));
            _activity.RemoveRange(0, Math.Min(report.Activity.Count, _activity.Count));
            _startReported |= report.StartedAt is not null;
            _outcomeReported |= report.Outcome is not null;
        }
    }

    /// <summary>The cluster refused this job's reports for good (its experiment is unknown there): nothing more is sent.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _logs.Clear();
            _openNotice = null;
            _pendingChars = 0;
            _marks.Clear();
            _components.Clear();
            _activity.Clear();
            _startReported = true;
            _outcomeReported = true;
        }
    }

    /// <summary>The cluster handed this job again (it lost track): send the start and outcome again.</summary>
    public void Resend()
    {
        lock (_gate)
        {
            _startReported = false;
            _outcomeReported = false;
        }
    }

    private static string DropNotice(long count) => string.Create(
        CultureInfo.InvariantCulture,
        $"[fleet: {count} {(count == 1 ? "line" : "lines")} of output dropped here: more than the runner could send (the cluster away, or slower than the command printed); it keeps at most {MaxPendingLines} lines or {MaxPendingChars / (1024 * 1024)} M characters unsent]");
}
