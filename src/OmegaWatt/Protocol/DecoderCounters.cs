namespace Fleet.OmegaWatt.Protocol;

/// <summary>What a <see cref="FrameDecoder"/> has seen so far.</summary>
/// <param name="FramesValid">Frames with a good check byte and n &gt; 0.</param>
/// <param name="FramesInvalid">Frames with a good check byte and n = 0: the box says they carry no data.</param>
/// <param name="FramesBadCheck">Sync and a plausible length were found but the check byte did not match.</param>
/// <param name="FramesMissingById">Frame ids skipped between consecutive accepted frames (u16 wrap-aware).</param>
/// <param name="BytesSkipped">Bytes dropped while looking for a frame: garbage, and the bytes of bad frames.</param>
/// <param name="Plugs">Plug count of the last accepted frame, or 0 before the first.</param>
public readonly record struct DecoderCounters(
    long FramesValid,
    long FramesInvalid,
    long FramesBadCheck,
    long FramesMissingById,
    long BytesSkipped,
    int Plugs)
{
    public long FramesAccepted => FramesValid + FramesInvalid;
}
