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
    private const int MaxPendingLines = 200_000;

    private readonly Lock _gate = new();
    private readonly List<LogLine> _logs = [];
    private readonly List<PhaseMark> _marks = [];
    private readonly List<ComponentSample> _components = [];
    private readonly List<ActivitySample> _activity = [];
    private long _nextSequence = 1;
    private DateTimeOffset? _startedAt;
    private bool _startReported;
    private RunOutcome? _outcome;
    private bool _outcomeReported;

    public JobOutbox(string jobId) => JobId = jobId;

    public string JobId { get; }

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
        lock (_gate)
        {
            if (_logs.Count >= MaxPendingLines)
            {
                _logs.RemoveAt(0);
                DroppedLines++;
            }

            _logs.Add(new LogLine(_nextSequence++, at, source, text));
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

    /// <summary>A report of everything pending (at most <paramref name="maxLines"/> lines), or null when there is nothing new.</summary>
    public RunReport? Snapshot(string session, int maxLines = 5_000)
    {
        lock (_gate)
        {
            var logs = _logs.Take(maxLines).ToList();
            // The outcome goes last, after every line: a follower sees the whole output before "done".
            var outcome = _outcomeReported || logs.Count < _logs.Count ? null : _outcome;
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
            _logs.RemoveAll(l => l.Sequence <= (report.Logs.Count == 0 ? 0 : report.Logs[^1].Sequence));
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
}
