namespace Fleet.Storage.Energy;

/// <summary>
/// Energy of a machine (every socket it was on, both power supplies, moves followed) or of one
/// socket over [<paramref name="From"/>, <paramref name="To"/>). The one definition of what Fleet
/// reports for a window:
/// <list type="bullet">
/// <item><c>Joules</c>: exactly Σ P × 10 ms over the valid frames present, summed over the sockets.</item>
/// <item><c>Coverage</c>: frames present over the frames the window should hold, for every socket
/// over the part of the window it measured the machine; relative to the whole window.</item>
/// <item><c>CoveredFrom</c>/<c>CoveredTo</c>/<c>CoveredSeconds</c>: the time the frames cover, from
/// each socket's first frame to the end of its last, joined over the sockets.</item>
/// <item><c>InterpolatedJoules</c>: gaps with frames on both sides filled at each socket's mean
/// power; never before a socket's first frame or after its last (no extrapolation).</item>
/// <item><c>MeanWatts</c>: interpolated joules over the covered seconds, the mean power over the
/// time actually measured. For a machine on two supplies it is their sum; a supply with no frame
/// adds nothing (its coverage says it is missing).</item>
/// </list>
/// </summary>
public sealed record WindowEnergy(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SocketEnergy> Sockets)
{
    public double Joules => Sockets.Sum(s => s.Joules);

    public long Frames => Sockets.Sum(s => s.Frames);

    public long FramesExpected => Sockets.Sum(s => s.FramesExpected);

    public long FramesInterpolated => Sockets.Sum(s => s.FramesInterpolated);

    public double InterpolatedJoules => Sockets.Sum(s => s.InterpolatedJoules);

    /// <summary>The highest frame power of any of the sockets; null without frames.</summary>
    public double? PeakWatts => Sockets.Max(s => s.PeakWatts);

    /// <summary>Frames present over frames expected in the window (1 = nothing missing; 0 without any socket).</summary>
    public double Coverage => FramesExpected == 0 ? 0 : Math.Min(1.0, (double)Frames / FramesExpected);

    public DateTimeOffset? CoveredFrom => Sockets.Min(s => s.CoveredFrom);

    public DateTimeOffset? CoveredTo => Sockets.Max(s => s.CoveredTo);

    /// <summary>Length of the union of the sockets' covered spans: two supplies over the same time count it once.</summary>
    public double CoveredSeconds
    {
        get
        {
            var spans = Sockets.Where(s => s.CoveredSeconds > 0).Select(s => (From: s.CoveredFrom!.Value, To: s.CoveredTo!.Value)).OrderBy(s => s.From).ToList();
            var seconds = 0.0;
            DateTimeOffset? end = null;
            foreach (var (from, to) in spans)
            {
                var start = end is { } e && e > from ? e : from;
                if (to > start)
                {
                    seconds += (to - start).TotalSeconds;
                    end = to;
                }
            }

            return seconds;
        }
    }

    /// <summary>Mean power over the time the frames cover; null without frames.</summary>
    public double? MeanWatts => Frames == 0 || CoveredSeconds <= 0 ? null : InterpolatedJoules / CoveredSeconds;

    /// <summary>True when some socket's raw frames were dropped by retention and the rollups answered alone (<see cref="SocketEnergy.FromRollupsOnly"/>).</summary>
    public bool FromRollupsOnly => Sockets.Any(s => s.FromRollupsOnly);

    /// <summary>Length of the window.</summary>
    public double Seconds => (To - From).TotalSeconds;
}
