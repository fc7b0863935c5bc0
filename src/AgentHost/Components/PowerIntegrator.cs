namespace Fleet.AgentHost.Components;

/// <summary>
/// Energy from power samples of several devices: per device, the trapezoid between its
/// successive samples, summed over devices. Times are when the sampler received each line, on
/// the runner's monotonic clock: nvidia-smi's own timestamp is local wall time to the
/// millisecond, while receive times share the recorder's clock, and a late line only moves energy
/// between neighbouring intervals (their lengths still add up to the time covered).
/// </summary>
public sealed class PowerIntegrator
{
    private readonly Dictionary<int, (TimeSpan At, double Watts)> _last = [];

    /// <summary>Joules since each device's first sample.</summary>
    public double Joules { get; private set; }

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

            Joules += (last.Watts + watts) / 2 * (at - last.At).TotalSeconds;
        }

        _last[device] = (at, watts);
        Samples++;
    }
}
