using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.AgentHost.Ingest;

/// <summary>Hands each frame to several handlers in order (statistics, then the spool).</summary>
public sealed class FrameHandlers(params IFrameHandler[] handlers) : IFrameHandler
{
    public void OnFrame(in Frame frame)
    {
        foreach (var handler in handlers)
        {
            handler.OnFrame(frame);
        }
    }
}
