using System.Buffers;
using System.Runtime.CompilerServices;
using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.Cli.Decoding;

/// <summary>
/// Writes each decoded frame as a CSV row, formatting on every core while keeping the rows in
/// order. Formatting floats dominates a decode (15 numbers a frame for 6 plugs): the decoder
/// copies frames into blocks, each block is formatted on the thread pool into its own buffer,
/// and the buffers are written in the order the blocks were made. The header depends on the
/// plug count, known only from the first frame, so the output is opened then: a file that holds
/// no frame at all produces no output file.
/// </summary>
internal sealed class CsvFrameHandler : IFrameHandler, IDisposable
{
    /// <summary>Frames per block: large enough that a block's task costs little, small enough to keep every core busy.</summary>
    private const int FramesPerBlock = 4096;

    private readonly Func<Stream> _openOutput;
    private readonly bool _raw;
    private readonly long _startUnixNanoseconds;
    private readonly Queue<Task<FormattedBlock>> _formatting = new();

    /// <summary>Blocks formatted ahead of the writer at most: bounds memory to a few megabytes.</summary>
    private readonly int _maxInFlight = 2 * Environment.ProcessorCount;

    private Stream? _output;
    private int _plugs;
    private int _payloadLength;
    private byte[] _payloads = [];
    private long[] _sequences = [];
    private int _count;

    public CsvFrameHandler(Func<Stream> openOutput, bool raw, DateTimeOffset start)
    {
        _openOutput = openOutput;
        _raw = raw;
        _startUnixNanoseconds = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
    }

    public bool HasOutput => _output is not null;

    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnFrame(in Frame frame)
    {
        if (_output is null)
        {
            Open(frame.Plugs);
        }

        if (frame.Plugs != _plugs)
        {
            // The rows before the change are written, as a serial writer would have.
            Drain();
            throw new PlugCountChangedException(_plugs, frame.Plugs, frame.FrameId);
        }

        frame.Payload.CopyTo(_payloads.AsSpan(_count * _payloadLength));
        _sequences[_count++] = frame.Sequence;
        if (_count == FramesPerBlock)
        {
            Submit();
        }
    }

    public void Dispose()
    {
        if (_output is not null)
        {
            Drain();
            _output.Flush();
            _output.Dispose();
            ArrayPool<byte>.Shared.Return(_payloads);
            ArrayPool<long>.Shared.Return(_sequences);
        }
    }

    private void Open(int plugs)
    {
        _plugs = plugs;
        _payloadLength = FrameLayout.PayloadLength(plugs);
        _payloads = ArrayPool<byte>.Shared.Rent(FramesPerBlock * _payloadLength);
        _sequences = ArrayPool<long>.Shared.Rent(FramesPerBlock);
        _output = _openOutput();
        var header = System.Text.Encoding.UTF8.GetBytes((_raw ? RawCsvWriter.Header(plugs) : VendorCsvWriter.Header(plugs)) + "\n");
        _output.Write(header);
    }

    /// <summary>Hands the current block to the thread pool; writes finished blocks first when too many are in flight.</summary>
    private void Submit()
    {
        if (_count == 0)
        {
            return;
        }

        while (_formatting.Count >= _maxInFlight)
        {
            WriteOldest();
        }

        var (payloads, sequences, count) = (_payloads, _sequences, _count);
        var (plugs, payloadLength, raw, start) = (_plugs, _payloadLength, _raw, _startUnixNanoseconds);
        _formatting.Enqueue(Task.Run(() => Format(payloads, sequences, count, plugs, payloadLength, raw, start)));
        _payloads = ArrayPool<byte>.Shared.Rent(FramesPerBlock * _payloadLength);
        _sequences = ArrayPool<long>.Shared.Rent(FramesPerBlock);
        _count = 0;
    }

    private void Drain()
    {
        Submit();
        while (_formatting.Count > 0)
        {
            WriteOldest();
        }
    }

    private void WriteOldest()
    {
        // The decoder's thread waits for the oldest block only when the others are ahead: the
        // pool keeps formatting the rest meanwhile.
        var rows = _formatting.Dequeue().GetAwaiter().GetResult();
        try
        {
            _output!.Write(rows.Bytes, 0, rows.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows.Bytes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FormattedBlock Format(byte[] payloads, long[] sequences, int count, int plugs, int payloadLength, bool raw, long startUnixNanoseconds)
    {
        // A pooled buffer sized for the longest rows: fresh megabytes per block cost page faults
        // and zeroing on every block.
        var bytes = ArrayPool<byte>.Shared.Rent(count * MaxRowLength(plugs));
        using var rows = new MemoryStream(bytes, 0, bytes.Length, writable: true, publiclyVisible: true);
        try
        {
            if (raw)
            {
                using var writer = new RawCsvWriter(rows, plugs, writeHeader: false);
                for (var k = 0; k < count; k++)
                {
                    writer.WriteFrame(new Frame(payloads.AsSpan(k * payloadLength, payloadLength), sequences[k]));
                }
            }
            else
            {
                using var writer = new VendorCsvWriter(rows, plugs, writeHeader: false);
                for (var k = 0; k < count; k++)
                {
                    // Time follows the frame ids (10 ms a step), so lost frames keep their real time.
                    writer.WriteFrame(startUnixNanoseconds + (sequences[k] * FrameLayout.FramePeriodNanoseconds), new Frame(payloads.AsSpan(k * payloadLength, payloadLength), sequences[k]));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payloads);
            ArrayPool<long>.Shared.Return(sequences);
        }

        return new FormattedBlock(bytes, (int)rows.Position);
    }

    /// <summary>Longest row for <paramref name="plugs"/>: a timestamp, the ok flag and every value at its longest (-1.1754942E-38).</summary>
    private static int MaxRowLength(int plugs) => 32 + ((FrameLayout.Phases + (2 * plugs)) * 16);

    /// <summary>A block's rows: the first <paramref name="Length"/> bytes of a pooled buffer.</summary>
    private readonly record struct FormattedBlock(byte[] Bytes, int Length);
}
