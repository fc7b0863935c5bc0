using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Streaming;

/// <summary>The decoder's counters at the end of a stream, plus the bytes the stream ended in the middle of.</summary>
/// <param name="Counters">Frames and bytes the decoder accepted or rejected.</param>
/// <param name="TruncatedTailBytes">Bytes after the last complete frame that were still waiting for the rest of a frame.</param>
public sealed record DecodeSummary(DecoderCounters Counters, long TruncatedTailBytes);
