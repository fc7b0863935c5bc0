using System.IO.Pipelines;
using Fleet.AgentHost.Sources;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.AgentHost.Ingest;

/// <summary>Connects a byte source to a decoder through a pipe: the source fills, the decoder drains.</summary>
public static class SourceReader
{
    /// <summary>
    /// Runs <paramref name="source"/> and decodes what it delivers into <paramref name="handler"/>
    /// until the source ends or the token is cancelled. Cancelling stops the source; the frames
    /// it already delivered are still decoded, and the summary is returned (no exception).
    /// </summary>
    public static async Task<DecodeSummary> RunAsync(
        IByteSource source,
        FrameDecoder decoder,
        IFrameHandler handler,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        // Bounded: a stalled consumer makes the source wait instead of growing memory (~1 s of a 48-plug box).
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        var producing = ProduceAsync(source, pipe.Writer, cancellationToken);
        // The reader runs until the writer completes, so nothing read before a stop is dropped.
        var summary = await FramePipeReader.ReadAllAsync(pipe.Reader, decoder, handler, CancellationToken.None).ConfigureAwait(false);
        await producing.ConfigureAwait(false);
        return summary;
    }

    private static async Task ProduceAsync(IByteSource source, PipeWriter writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await source.RunAsync(writer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is not a failure: the reader sees the pipe complete.
        }
        catch (Exception error)
        {
            failure = error;
            throw;
        }
        finally
        {
            await writer.CompleteAsync(failure).ConfigureAwait(false);
        }
    }
}
