using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Streaming;

/// <summary>Receives each frame a <see cref="FramePipeReader"/> decodes, in order, on the reading thread.</summary>
public interface IFrameHandler
{
    /// <summary>Called once per accepted frame; the frame view is only valid during the call.</summary>
    void OnFrame(in Frame frame);
}
