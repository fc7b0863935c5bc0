namespace Fleet.AgentHost.Components;

/// <summary>
/// Energy from power samples of several devices, each sample's power held until the device's next
/// one (a zero-order hold), summed over devices. A reading at any time adds each device's last
/// power up to that time, so a reading stamped "now" covers up to now even when the sampler's
/// lines come late (nvidia-smi starved on a busy host), and readings never go backwards.
/// Times are when the sampler received each line, on the runner's monotonic clock:
/// nvidia-smi's own timestamp is local wall time to the millisecond, while receive times share
/// the recorder's clock, and a late line only moves energy between neighbouring intervals (their
/// lengths still add up to the time covered).
/// </summary>
public sealed class PowerIntegrator
{
    private readonly Dictionary<int, (TimeSpan At, double Watts)> _last = [];
    private double _joules;

    /// <param name="maxHold">
    /// How far a reading may carry a device's last power past its last sample: a sampler silent
    /// for longer is not guessed further (its next line still accounts for the whole gap).
    /// </param>
    public PowerIntegrator(TimeSpan maxHold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHold, TimeSpan.Zero);
        MaxHold = maxHold;
    }

    public TimeSpan MaxHold { get; }

    /// <summary>Devices that sent at least one sample.</summary>
    public int Devices => _last.Count;

    public long Samples { get; private set; }

    /// <param name="device">The GPU's index.</param>
    /// <param name="at">When the sample was received, on a monotonic clock.</param>
    /// <param name="watts">The power it read.</param>
    public void Add(int device, TimeSpan at, double watts)
    {
        if (_last.TryGetValue(device, out var last))
        {
            // Lines received out of order (never from one pipe, but cheap to refuse) add nothing.
            if (at < last.At)
            {
                return;
            }

            _joules += last.Watts * (at - last.At).TotalSeconds;
        }

        _last[device] = (at, watts);
        Samples++;
    }

    /// <summary>Joules from each device's first sample up to <paramref name="now"/> (its last power held at most <see cref="MaxHold"/>).</summary>
    public double JoulesAt(TimeSpan now)
    {
        var joules = _joules;
        foreach (var (at, watts) in _last.Values)
        {
            var held = now - at;
            if (held > TimeSpan.Zero)
            {
                joules += watts * (held < MaxHold ? held : MaxHold).TotalSeconds;
            }
        }

        return joules;
    }
}
