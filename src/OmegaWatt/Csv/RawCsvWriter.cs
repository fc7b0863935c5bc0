using System.Runtime.CompilerServices;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Writes one row per decoded frame as <c>frame_id,frame_is_ok,U1,U2,U3,I1..In,P1..Pn</c> with
/// round-trip float precision; a frame with no data (n = 0) is a <c>false</c> row with empty fields.
/// </summary>
public sealed class RawCsvWriter : IDisposable
{
    private readonly Utf8RowWriter _writer;
    private readonly FrameValues _values;

    /// <param name="writeHeader">False for a piece of a file whose header is written elsewhere (rows formatted in parallel).</param>
    public RawCsvWriter(Stream output, int plugs, bool writeHeader = true)
    {
        _values = new FrameValues(plugs);
        _writer = new Utf8RowWriter(output);
        if (writeHeader)
        {
            _writer.WriteHeader(Header(plugs));
        }
    }

    public static string Header(int plugs) =>
        "frame_id,frame_is_ok,U1,U2,U3,"
        + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"I{k}"))
        + ","
        + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"P{k}"));

    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteFrame(in Frame frame)
    {
        _values.Load(frame);
        _writer.BeginRow();
        _writer.WriteInteger(frame.FrameId);
        if (!frame.IsValid)
        {
            _writer.WriteNotOkFields(_values.Plugs);
        }
        else
        {
            _writer.WriteAscii(",true"u8);
            WriteValues(_values.Volts);
            WriteValues(_values.Currents);
            WriteValues(_values.Powers);
        }

        _writer.WriteByte((byte)'\n');
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteValues(float[] values)
    {
        foreach (var value in values)
        {
            _writer.WriteByte((byte)',');
            _writer.WriteFloat(value);
        }
    }
}
