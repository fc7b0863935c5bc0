namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// The times of a box TSV file's rows, gathered in one pass: the first and last row, and the
/// step. The box writes one row per averaging step, so the most common gap is the step and a
/// longer gap an outage; a gap shorter than the step would make two steps overlap and count
/// their energy twice, so it is refused.
/// </summary>
public sealed class BoxTsvTimeline
{
    private readonly Dictionary<long, long> _gaps = [];
    private long _shortestGap = long.MaxValue;
    private long _shortestGapLine;

    public long Rows { get; private set; }

    public long FirstUnixSeconds { get; private set; }

    public long LastUnixSeconds { get; private set; }

    public void Add(BoxTsvRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Rows == 0)
        {
            FirstUnixSeconds = row.UnixSeconds;
        }
        else
        {
            var gap = row.UnixSeconds - LastUnixSeconds;
            _gaps[gap] = _gaps.GetValueOrDefault(gap) + 1;
            if (gap < _shortestGap)
            {
                (_shortestGap, _shortestGapLine) = (gap, row.Line);
            }
        }

        LastUnixSeconds = row.UnixSeconds;
        Rows++;
    }

    /// <summary>The step: <paramref name="given"/>, or the most common gap; checked against every gap.</summary>
    /// <exception cref="BoxTsvFormatException">No step can be inferred, or rows are closer than the step.</exception>
    public long Step(long? given)
    {
        var step = given ?? (Rows < 2
            ? throw new BoxTsvFormatException("one data row: the step cannot be inferred; give --step-seconds")
            : _gaps.OrderByDescending(g => g.Value).ThenBy(g => g.Key).First().Key);
        if (step < 1)
        {
            throw new BoxTsvFormatException($"--step-seconds {step}: give the box's averaging step in whole seconds (1, 3, 60, 600, 7200)");
        }

        return _shortestGap < step
            ? throw new BoxTsvFormatException(
                $"line {_shortestGapLine}: {_shortestGap} s after the previous row, less than the step of {step} s{(given is null ? " (inferred; give --step-seconds)" : string.Empty)}: steps would overlap")
            : step;
    }
}
