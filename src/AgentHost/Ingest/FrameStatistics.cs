using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.AgentHost.Ingest;

/// <summary>
/// Keeps what an operator wants to see about a box until frames go to the cluster: how many
/// frames arrived and each socket's latest power and energy so far.
/// </summary>
public sealed class FrameStatistics : IFrameHandler
{
    private readonly Lock _gate = new();
    private double[] _lastPowerWatts = [];
    private double[] _energyJoules = [];
    private long _frames;
    private ushort _lastFrameId;

    public void OnFrame(in Frame frame)
    {
        lock (_gate)
        {
            _frames++;
            _lastFrameId = frame.FrameId;
            if (!frame.IsValid)
            {
                return;
            }

            if (_lastPowerWatts.Length != frame.Plugs)
            {
                _lastPowerWatts = new double[frame.Plugs];
                _energyJoules = new double[frame.Plugs];
            }

            for (var plug = 0; plug < frame.Plugs; plug++)
            {
                var watts = frame.GetPowerWatts(plug);
                _lastPowerWatts[plug] = watts;
                _energyJoules[plug] += watts * FrameLayout.FramePeriodSeconds;
            }
        }
    }

    public FrameStatisticsSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new FrameStatisticsSnapshot(_frames, _lastFrameId, [.. _lastPowerWatts], [.. _energyJoules]);
        }
    }
}
