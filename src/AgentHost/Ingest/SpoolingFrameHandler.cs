using Fleet.AgentHost.Spooling;
using Fleet.AgentHost.Timing;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.AgentHost.Ingest;

/// <summary>
/// Timestamps each decoded frame with the clock model, collects about a second of frames into a
/// batch with the next sequence number, and appends the batch to the spool before anything is
/// sent. <see cref="Flush"/> closes a partial batch (end of input, or a quiet box).
/// </summary>
public sealed class SpoolingFrameHandler : IFrameHandler
{
    private readonly FrameDecoder _decoder;
    private readonly IFrameClock _clock;
    private readonly Spool _spool;
    private readonly FrameBatchBuilder _builder;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _sequence;
    private long _lastBadCheck;

    public SpoolingFrameHandler(FrameDecoder decoder, IFrameClock clock, Spool spool, string sourceId, string agentHost, string writerId, TimeProvider? time = null)
    {
        _decoder = decoder;
        _clock = clock;
        _spool = spool;
        _time = time ?? TimeProvider.System;
        _builder = new FrameBatchBuilder(sourceId, agentHost, writerId);
    }

    /// <summary>Frames dropped because the spool's disk budget was full (also logged by the agent).</summary>
    public long FramesRefused { get; private set; }

    public long BatchesSpooled { get; private set; }

    public void OnFrame(in Frame frame)
    {
        var received = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        lock (_gate)
        {
            var timestamp = _clock.Timestamp(frame.Sequence, received);
            var badCheck = _decoder.Counters.FramesBadCheck;
            if (!_builder.TryAdd(timestamp, frame, _decoder.LastGap, badCheck - _lastBadCheck))
            {
                SpoolBatch();
                _builder.TryAdd(timestamp, frame, _decoder.LastGap, badCheck - _lastBadCheck);
            }

            _lastBadCheck = badCheck;
            if (_builder.IsFull)
            {
                SpoolBatch();
            }
        }
    }

    /// <summary>Spools the frames collected so far, if any.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_builder.Count > 0)
            {
                SpoolBatch();
            }
        }
    }

    private void SpoolBatch()
    {
        var count = _builder.Count;
        FrameBatch batch = _builder.Build(++_sequence);
        if (_spool.Append(batch))
        {
            BatchesSpooled++;
        }
        else
        {
            FramesRefused += count;
        }
    }
}
