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
    /// <summary>Lines kept while the cluster cannot be reached; beyond, the oldest unsent are dropped and counted.</summary>
    public const int MaxPendingLines = 200_000;

    /// <summary>Characters kept while the cluster cannot be reached (about 64 MB of memory); beyond, the oldest lines go as above.</summary>
    public const long MaxPendingChars = 32L * 1024 * 1024;

    /// <summary>Characters of log text in one report, so a report stays far below Orleans' message size whatever the lines hold.</summary>
    public const int MaxReportChars = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<LogLine> _logs = new();
    private readonly List<PhaseMark> _marks = [];
    private readonly List<ComponentSample> _components = [];
    private readonly List<ActivitySample> _activity = [];
    private long _pendingChars;
    private long _nextSequence = 1;
    private long _droppedSinceNotice;
    private long _noticeSequence;
    private DateTimeOffset _noticeAt;
    private DateTimeOffset? _startedAt;
    private bool _startReported;
    private RunOutcome? _outcome;
    private bool _outcomeReported;

    public JobOutbox(string jobId) => JobId = jobId;

    public string JobId { get; }

    /// <summary>Lines dropped unsent since the job started (each drop is also told in the log itself).</summary>
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
            _logs.Enqueue(new LogLine(_nextSequence++, at, source, text));
            _pendingChars += text.Length;
            while (_logs.Count > MaxPendingLines || (_pendingChars > MaxPendingChars && _logs.Count > 1))
            {
                // The dropped line's number carries the notice, in its place in the log.
                var dropped = _logs.Dequeue();
                _pendingChars -= dropped.Text.Length;
                _noticeSequence = dropped.Sequence;
                _noticeAt = dropped.At;
                _droppedSinceNotice++;
                DroppedLines++;
            }
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
    /// A report of everything pending (at most <paramref name="maxLines"/> lines and
    /// <see cref="MaxReportChars"/> characters of them, at least one line), or null when there is nothing new.
    /// </summary>
    public RunReport? Snapshot(string session, int maxLines = 5_000)
    {
        lock (_gate)
        {
            var logs = new List<LogLine>();
            var chars = 0L;
            if (_droppedSinceNotice > 0)
            {
                logs.Add(DropNotice());
            }

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
            var allLines = logs.Count - (_droppedSinceNotice > 0 ? 1 : 0) == _logs.Count;
            var outcome = _outcomeReported || !allLines ? null : _outcome;
            if (logs.Count == 0 && _marks.Count == 0 && _components.Count == 0 && _activity.Count == 0 && outcome is null && (_startReported || _startedAt is null))
            {
                return null;
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
            while (_logs.TryPeek(out var line) && line.Sequence <= last)
            {
                _pendingChars -= _logs.Dequeue().Text.Length;
            }

            // A notice is sent once per run of drops; drops after this report get a notice of their own.
            if (report.Logs.Count > 0 && report.Logs[0].Sequence == _noticeSequence)
            {
                _droppedSinceNotice = 0;
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
            _pendingChars = 0;
            _droppedSinceNotice = 0;
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

    private LogLine DropNotice() => new(
        _noticeSequence,
        _noticeAt,
        LogSource.Stderr,
        string.Create(CultureInfo.InvariantCulture, $"[fleet: {_droppedSinceNotice} lines of output dropped here: the runner could not reach the cluster and keeps at most {MaxPendingLines} lines or {MaxPendingChars / (1024 * 1024)} M characters unsent]"));
}
