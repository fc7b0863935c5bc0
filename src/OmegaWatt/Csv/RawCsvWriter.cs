using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Writes one row per decoded frame as <c>frame_id,frame_is_ok,U1,U2,U3,I1..In,P1..Pn</c> with
/// round-trip float precision; a frame with no data (n = 0) is a <c>false</c> row with empty fields.
/// </summary>
public sealed class RawCsvWriter : IDisposable
{
    private readonly Utf8RowWriter _writer;
    private readonly int _plugs;
    private readonly float[] _volts = new float[FrameLayout.Phases];
    private readonly float[] _currents;
    private readonly float[] _powers;

    public RawCsvWriter(Stream output, int plugs)
    {
        if (!FrameLayout.IsValidPlugCount(plugs))
        {
            throw new ArgumentOutOfRangeException(nameof(plugs), plugs, "Plug count must be a multiple of 6 up to 48.");
        }

        _writer = new Utf8RowWriter(output);
        _plugs = plugs;
        _currents = new float[plugs];
        _powers = new float[plugs];
        _writer.BeginRow();
        _writer.WriteText(Header(plugs));
        _writer.WriteByte((byte)'\n');
    }

    public static string Header(int plugs) =>
        "frame_id,frame_is_ok,U1,U2,U3,"
        + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"I{k}"))
        + ","
        + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"P{k}"));

    public void WriteFrame(in Frame frame)
    {
        if (frame.Plugs != _plugs)
        {
            throw new PlugCountChangedException(_plugs, frame.Plugs, frame.FrameId);
        }

        _writer.BeginRow();
        _writer.WriteInteger(frame.FrameId);
        if (!frame.IsValid)
        {
            _writer.WriteAscii(",false"u8);
            for (var k = 0; k < FrameLayout.Phases + (2 * _plugs); k++)
            {
                _writer.WriteByte((byte)',');
            }
        }
        else
        {
            _writer.WriteAscii(",true"u8);
            frame.CopyValuesTo(_volts, _currents, _powers);
            WriteValues(_volts);
            WriteValues(_currents);
            WriteValues(_powers);
        }

        _writer.WriteByte((byte)'\n');
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private void WriteValues(float[] values)
    {
        foreach (var value in values)
        {
            _writer.WriteByte((byte)',');
            _writer.WriteFloat(value);
        }
    }
}
