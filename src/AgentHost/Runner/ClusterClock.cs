namespace Fleet.AgentHost.Runner;

/// <summary>
/// The cluster's time as this runner sees it: its own clock plus an offset measured on every
/// heartbeat (the silo's time against the middle of the round trip), keeping the estimate from
/// the fastest recent round trip, as NTP does: a slow answer carries the most error.
/// </summary>
public sealed class ClusterClock
{
    private const int Window = 32;

    private readonly TimeProvider _time;
    private readonly Queue<(double RoundTripSeconds, double OffsetSeconds)> _samples = new();
    private readonly Lock _gate = new();
    private double _offsetSeconds;

    public ClusterClock(TimeProvider time) => _time = time;

    /// <summary>Cluster time = local time + this.</summary>
    public double OffsetSeconds
    {
        get
        {
            lock (_gate)
            {
                return _offsetSeconds;
            }
        }
    }

    public DateTimeOffset LocalNow => _time.GetUtcNow();

    public DateTimeOffset Now => _time.GetUtcNow().AddSeconds(OffsetSeconds);

    /// <summary>One exchange: sent at <paramref name="sent"/>, answered with <paramref name="server"/>, received at <paramref name="received"/> (local times).</summary>
    public void Observe(DateTimeOffset sent, DateTimeOffset server, DateTimeOffset received)
    {
        var roundTrip = (received - sent).TotalSeconds;
        if (roundTrip < 0)
        {
            return;
        }

        var offset = (server - (sent + ((received - sent) / 2))).TotalSeconds;
        lock (_gate)
        {
            _samples.Enqueue((roundTrip, offset));
            while (_samples.Count > Window)
            {
                _samples.Dequeue();
            }

            _offsetSeconds = _samples.MinBy(s => s.RoundTripSeconds).OffsetSeconds;
        }
    }
}
