using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.Cli.Decoding;

/// <summary>
/// Writes each decoded frame as a CSV row. The header depends on the plug count, which is only
/// known from the first frame, so the output is opened then: a file that holds no frame at all
/// produces no output file.
/// </summary>
internal sealed class CsvFrameHandler : IFrameHandler, IDisposable
{
    private readonly Func<Stream> _openOutput;
    private readonly bool _raw;
    private readonly long _startUnixNanoseconds;
    private Stream? _output;
    private RawCsvWriter? _rawWriter;
    private VendorCsvWriter? _vendorWriter;

    public CsvFrameHandler(Func<Stream> openOutput, bool raw, DateTimeOffset start)
    {
        _openOutput = openOutput;
        _raw = raw;
        _startUnixNanoseconds = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
    }

    public bool HasOutput => _output is not null;

    public void OnFrame(in Frame frame)
    {
        if (_output is null)
        {
            _output = _openOutput();
            if (_raw)
            {
                _rawWriter = new RawCsvWriter(_output, frame.Plugs);
            }
            else
            {
                _vendorWriter = new VendorCsvWriter(_output, frame.Plugs);
            }
        }

        if (_rawWriter is not null)
        {
            _rawWriter.WriteFrame(frame);
        }
        else
        {
            // Time follows the frame ids (10 ms a step), so lost frames keep their real time.
            _vendorWriter!.WriteFrame(_startUnixNanoseconds + (frame.Sequence * FrameLayout.FramePeriodNanoseconds), frame);
        }
    }

    public void Dispose()
    {
        _rawWriter?.Dispose();
        _vendorWriter?.Dispose();
        _output?.Dispose();
    }
}
