using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.AgentHost.Ingest;

/// <summary>
/// Collects decoded frames into the column arrays of a <see cref="FrameBatch"/>: one grain call
/// per batch (about a second of frames), never one per frame.
/// </summary>
public sealed class FrameBatchBuilder
{
    private readonly string _sourceId;
    private readonly string _agentHost;
    private readonly string _writerId;
    private readonly int _capacity;
    private readonly List<long> _times;
    private readonly List<int> _frameIds;
    private readonly List<bool> _valid;
    private readonly List<float> _volts;
    private readonly List<float> _currents;
    private readonly List<float> _powers;
    private readonly float[] _frameVolts = new float[FrameLayout.Phases];
    private float[] _frameCurrents = [];
    private float[] _framePowers = [];
    private long _missing;
    private long _badCheck;

    public FrameBatchBuilder(string sourceId, string agentHost, string writerId, int capacity = FrameLayout.FramesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _sourceId = sourceId;
        _agentHost = agentHost;
        _writerId = writerId;
        _capacity = capacity;
        _times = new(capacity);
        _frameIds = new(capacity);
        _valid = new(capacity);
        _volts = new(capacity * FrameLayout.Phases);
        _currents = new(capacity * 6);
        _powers = new(capacity * 6);
    }

    public int Count => _times.Count;

    public bool IsFull => _times.Count >= _capacity;

    public int Plugs { get; private set; }

    /// <summary>Adds a frame timed at <paramref name="unixMicroseconds"/>; false when the batch must be sent first (full, or the plug count changed).</summary>
    public bool TryAdd(long unixMicroseconds, in Frame frame, int missingBefore, long badCheckBefore)
    {
        if (IsFull || (Count > 0 && frame.Plugs != Plugs))
        {
            return false;
        }

        if (_frameCurrents.Length != frame.Plugs)
        {
            _frameCurrents = new float[frame.Plugs];
            _framePowers = new float[frame.Plugs];
        }

        Plugs = frame.Plugs;
        if (frame.IsValid)
        {
            frame.CopyValuesTo(_frameVolts, _frameCurrents, _framePowers);
        }
        else
        {
            Array.Fill(_frameVolts, float.NaN);
            Array.Fill(_frameCurrents, float.NaN);
            Array.Fill(_framePowers, float.NaN);
        }

        _times.Add(unixMicroseconds);
        _frameIds.Add(frame.FrameId);
        _valid.Add(frame.IsValid);
        _volts.AddRange(_frameVolts);
        _currents.AddRange(_frameCurrents);
        _powers.AddRange(_framePowers);
        _missing += missingBefore;
        _badCheck += badCheckBefore;
        return true;
    }

    /// <summary>The batch so far with sequence number <paramref name="sequence"/>; the builder starts empty again.</summary>
    public FrameBatch Build(long sequence)
    {
        var batch = new FrameBatch(
            _sourceId, sequence, Plugs, [.. _times], [.. _frameIds], [.. _valid], [.. _volts], [.. _currents], [.. _powers], _missing, _badCheck, _agentHost, _writerId);
        _times.Clear();
        _frameIds.Clear();
        _valid.Clear();
        _volts.Clear();
        _currents.Clear();
        _powers.Clear();
        _missing = 0;
        _badCheck = 0;
        return batch;
    }
}
