using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Fleet.OmegaWatt.Protocol;

/// <summary>
/// Incremental OmegaWatt frame decoder. Feed it whatever the port or file delivered, a byte
/// or megabytes at a time: it finds sync, rejects an impossible length before waiting for
/// the body, checks the XOR byte, and on any failure drops one byte and searches again, so a
/// good frame right behind garbage or a bad frame is never skipped. It never throws on input
/// and never allocates per frame.
/// </summary>
/// <remarks>
/// Modelled on Kestrel's Http2FrameReader: <c>TryReadFrame</c> advances the buffer past what it
/// consumed (an accepted frame, or bytes it dropped as garbage) and returns false when it needs
/// more bytes; the caller keeps the rest for the next call (<c>AdvanceTo(buffer.Start, buffer.End)</c>
/// with a pipe). The decoder is stateful (counters, frame-id tracking) and not thread-safe.
/// </remarks>
public sealed class FrameDecoder
{
    // A frame that straddles pipe segments is copied here; a Frame view never outlives the next call.
    private readonly byte[] _straddle = new byte[FrameLayout.MaxFrameLength];
    private long _framesValid;
    private long _framesInvalid;
    private long _framesBadCheck;
    private long _framesMissingById;
    private long _bytesSkipped;
    private int _plugs;
    private int _lastFrameId = -1;
    private long _sequence = -1;

    public DecoderCounters Counters =>
        new(_framesValid, _framesInvalid, _framesBadCheck, _framesMissingById, _bytesSkipped, _plugs);

    /// <summary>Frame ids skipped right before the frame returned last (0 for the first frame).</summary>
    public int LastGap { get; private set; }

    /// <summary>
    /// Reads the next frame from a contiguous buffer. On return <paramref name="buffer"/> starts
    /// after everything consumed; when it returns false, keep the remaining bytes and call again
    /// with more appended.
    /// </summary>
    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadFrame(scoped ref ReadOnlySpan<byte> buffer, out Frame frame)
    {
        while (true)
        {
            var start = buffer.IndexOf(FrameLayout.Sync);
            if (start < 0)
            {
                // Keep a tail that could be the start of a sync split across reads.
                Skip(ref buffer, buffer.Length - PossibleSyncPrefixLength(buffer));
                frame = default;
                return false;
            }

            Skip(ref buffer, start);
            if (buffer.Length < FrameLayout.HeaderLength)
            {
                frame = default;
                return false;
            }

            var payloadLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer[FrameLayout.LengthOffset..]);
            if (!FrameLayout.IsValidPayloadLength(payloadLength))
            {
                Skip(ref buffer, 1);
                continue;
            }

            var frameLength = FrameLayout.HeaderLength + payloadLength + FrameLayout.CheckLength;
            if (buffer.Length < frameLength)
            {
                frame = default;
                return false;
            }

            var checkedBytes = buffer.Slice(FrameLayout.LengthOffset, 2 + payloadLength);
            if (CheckByte.Compute(checkedBytes) != buffer[frameLength - 1])
            {
                _framesBadCheck++;
                Skip(ref buffer, 1);
                continue;
            }

            frame = Accept(buffer.Slice(FrameLayout.HeaderLength, payloadLength));
            buffer = buffer[frameLength..];
            return true;
        }
    }

    /// <summary>
    /// Reads the next frame from a pipe's buffer, which may be split into segments anywhere.
    /// Same contract as the span overload: on return <paramref name="buffer"/> starts after
    /// everything consumed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out Frame frame)
    {
        while (true)
        {
            // Most frames lie inside one segment: decode them in place, without copying.
            var first = buffer.FirstSpan;
            var found = TryReadFrame(ref first, out frame);
            buffer = buffer.Slice(buffer.FirstSpan.Length - first.Length);
            if (found || buffer.IsSingleSegment)
            {
                return found;
            }

            // What is left of the first segment starts a frame (or a sync) that continues in
            // the next one: assemble it in a scratch buffer.
            switch (TryReadStraddlingFrame(ref buffer, out frame))
            {
                case Straddle.Frame:
                    return true;
                case Straddle.NeedMore:
                    return false;
                default:
                    continue;
            }
        }
    }

    private Straddle TryReadStraddlingFrame(ref ReadOnlySequence<byte> buffer, out Frame frame)
    {
        frame = default;
        if (buffer.Length < FrameLayout.HeaderLength)
        {
            return Straddle.NeedMore;
        }

        Span<byte> header = stackalloc byte[FrameLayout.HeaderLength];
        buffer.Slice(0, FrameLayout.HeaderLength).CopyTo(header);
        var payloadLength = BinaryPrimitives.ReadUInt16LittleEndian(header[FrameLayout.LengthOffset..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != FrameLayout.SyncWord
            || !FrameLayout.IsValidPayloadLength(payloadLength))
        {
            Skip(ref buffer, 1);
            return Straddle.Rejected;
        }

        var frameLength = FrameLayout.HeaderLength + payloadLength + FrameLayout.CheckLength;
        if (buffer.Length < frameLength)
        {
            return Straddle.NeedMore;
        }

        var whole = _straddle.AsSpan(0, frameLength);
        buffer.Slice(0, frameLength).CopyTo(whole);
        if (CheckByte.Compute(whole.Slice(FrameLayout.LengthOffset, 2 + payloadLength)) != whole[frameLength - 1])
        {
            _framesBadCheck++;
            Skip(ref buffer, 1);
            return Straddle.Rejected;
        }

        frame = Accept(whole.Slice(FrameLayout.HeaderLength, payloadLength));
        buffer = buffer.Slice(frameLength);
        return Straddle.Frame;
    }

    private enum Straddle
    {
        Frame,
        NeedMore,
        Rejected,
    }

    private Frame Accept(ReadOnlySpan<byte> payload)
    {
        int frameId = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        if (_lastFrameId < 0)
        {
            LastGap = 0;
            _sequence = 0;
        }
        else
        {
            LastGap = (frameId - _lastFrameId - 1) & 0xFFFF;
            _framesMissingById += LastGap;
            _sequence += LastGap + 1;
        }

        _lastFrameId = frameId;
        _plugs = FrameLayout.PlugsFromPayloadLength(payload.Length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(payload[FrameLayout.SampleCountOffset..]) == 0)
        {
            _framesInvalid++;
        }
        else
        {
            _framesValid++;
        }

        return new Frame(payload, _sequence);
    }

    private void Skip(ref ReadOnlySpan<byte> buffer, int count)
    {
        _bytesSkipped += count;
        buffer = buffer[count..];
    }

    private void Skip(ref ReadOnlySequence<byte> buffer, long count)
    {
        _bytesSkipped += count;
        buffer = buffer.Slice(count);
    }

    private static int PossibleSyncPrefixLength(ReadOnlySpan<byte> buffer)
    {
        var sync = FrameLayout.Sync;
        for (var keep = Math.Min(FrameLayout.SyncLength - 1, buffer.Length); keep > 0; keep--)
        {
            if (buffer[^keep..].SequenceEqual(sync[..keep]))
            {
                return keep;
            }
        }

        return 0;
    }
}
