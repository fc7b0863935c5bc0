using System.Collections.Concurrent;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.AgentHost.Tests.Support;

/// <summary>Keeps every frame's id, validity and first plug's power, readable while decoding goes on.</summary>
internal sealed class CollectingHandler : IFrameHandler
{
    private readonly ConcurrentQueue<(int FrameId, bool IsValid, float FirstPowerWatts)> _frames = new();

    public int Count => _frames.Count;

    public IReadOnlyList<(int FrameId, bool IsValid, float FirstPowerWatts)> Frames => [.. _frames];

    public void OnFrame(in Frame frame) =>
        _frames.Enqueue((frame.FrameId, frame.IsValid, frame.IsValid ? frame.GetPowerWatts(0) : float.NaN));
}
