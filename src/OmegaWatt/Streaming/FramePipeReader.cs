using System.Buffers;
using System.IO.Pipelines;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Streaming;

/// <summary>Owns the loop between a <see cref="PipeReader"/> and a <see cref="FrameDecoder"/>.</summary>
public static class FramePipeReader
{
    /// <summary>Pipe segment size for captures and serial ports: a few hundred frames per read.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>Decodes a whole stream (file, stdin, serial port) until it ends or is cancelled.</summary>
    public static Task<DecodeSummary> ReadAllAsync(
        Stream stream,
        FrameDecoder decoder,
        IFrameHandler handler,
        CancellationToken cancellationToken = default)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: DefaultBufferSize, leaveOpen: true));
        return ReadAllAsync(reader, decoder, handler, cancellationToken);
    }

    /// <summary>Decodes everything the pipe delivers until its writer completes or the token is cancelled.</summary>
    public static async Task<DecodeSummary> ReadAllAsync(
        PipeReader reader,
        FrameDecoder decoder,
        IFrameHandler handler,
        CancellationToken cancellationToken = default)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                long remaining;
                try
                {
                    DecodeAvailable(ref buffer, decoder, handler);
                    remaining = buffer.Length;
                }
                finally
                {
                    // Consume what was decoded or skipped; the rest has been examined, so the
                    // next read waits for new bytes instead of spinning on an incomplete frame.
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return new DecodeSummary(decoder.Counters, remaining);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static void DecodeAvailable(ref ReadOnlySequence<byte> buffer, FrameDecoder decoder, IFrameHandler handler)
    {
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            handler.OnFrame(frame);
        }
    }
}
