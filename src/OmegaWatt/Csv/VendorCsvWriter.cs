using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Writes the format the vendor's <c>wattmetre-read</c> prints, so existing scripts keep working:
/// <c>#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,…</c>, timestamps as
/// <c>seconds.nanoseconds</c>. Unlike the vendor tool, values keep full float precision.
/// </summary>
public sealed class VendorCsvWriter : IDisposable
{
    private readonly Utf8RowWriter _writer;
    private readonly int _plugs;
    private readonly float[] _volts = new float[FrameLayout.Phases];
    private readonly float[] _currents;
    private readonly float[] _powers;

    public VendorCsvWriter(Stream output, int plugs)
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
        "#timestamp,#frame_is_ok,#U1,#U2,#U3,"
        + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"#current{k},#activepow{k}"));

    public void WriteFrame(long unixTimeNanoseconds, in Frame frame)
    {
        if (frame.Plugs != _plugs)
        {
            throw new PlugCountChangedException(_plugs, frame.Plugs, frame.FrameId);
        }

        if (frame.IsValid)
        {
            frame.CopyValuesTo(_volts, _currents, _powers);
        }

        WriteRow(unixTimeNanoseconds, frame.IsValid, _volts, _currents, _powers);
    }

    public void WriteRecord(VendorCsvRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.IsOk && (record.CurrentsAmperes.Count != _plugs || record.PowersWatts.Count != _plugs))
        {
            throw new ArgumentException($"The record has {record.CurrentsAmperes.Count} plugs, this file {_plugs}.", nameof(record));
        }

        WriteRow(record.UnixTimeNanoseconds, record.IsOk, record.VoltagesVolts, record.CurrentsAmperes, record.PowersWatts);
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private void WriteRow(
        long unixTimeNanoseconds,
        bool isOk,
        IReadOnlyList<float> volts,
        IReadOnlyList<float> currents,
        IReadOnlyList<float> powers)
    {
        _writer.BeginRow();
        _writer.WriteUnixNanoseconds(unixTimeNanoseconds);
        if (!isOk)
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
            for (var phase = 0; phase < FrameLayout.Phases; phase++)
            {
                _writer.WriteByte((byte)',');
                _writer.WriteFloat(volts[phase]);
            }

            for (var plug = 0; plug < _plugs; plug++)
            {
                _writer.WriteByte((byte)',');
                _writer.WriteFloat(currents[plug]);
                _writer.WriteByte((byte)',');
                _writer.WriteFloat(powers[plug]);
            }
        }

        _writer.WriteByte((byte)'\n');
    }
}
