using System.Runtime.CompilerServices;
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
    private readonly FrameValues _values;

    /// <param name="writeHeader">False for a piece of a file whose header is written elsewhere (rows formatted in parallel).</param>
    public VendorCsvWriter(Stream output, int plugs, bool writeHeader = true)
    {
        _values = new FrameValues(plugs);
        _writer = new Utf8RowWriter(output);
        if (writeHeader)
        {
            _writer.WriteHeader(Header(plugs));
        }
    }

    public static string Header(int plugs) =>
        "#timestamp,#frame_is_ok,#U1,#U2,#U3,"
        + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"#current{k},#activepow{k}"));

    // Hot: runs per value or per frame. Jitted optimized at once, instead of running unoptimized
    // code for the first few hundred milliseconds of a decode (fleet decode exits in about a second).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteFrame(long unixTimeNanoseconds, in Frame frame)
    {
        _values.Load(frame);
        WriteRow(unixTimeNanoseconds, frame.IsValid, _values.Volts, _values.Currents, _values.Powers);
    }

    public void WriteRecord(VendorCsvRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.IsOk && (record.CurrentsAmperes.Count != _values.Plugs || record.PowersWatts.Count != _values.Plugs))
        {
            throw new ArgumentException($"The record has {record.CurrentsAmperes.Count} plugs, this file {_values.Plugs}.", nameof(record));
        }

        WriteRow(record.UnixTimeNanoseconds, record.IsOk, record.VoltagesVolts, record.CurrentsAmperes, record.PowersWatts);
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            _writer.WriteNotOkFields(_values.Plugs);
        }
        else
        {
            _writer.WriteAscii(",true"u8);
            for (var phase = 0; phase < FrameLayout.Phases; phase++)
            {
                _writer.WriteByte((byte)',');
                _writer.WriteFloat(volts[phase]);
            }

            for (var plug = 0; plug < _values.Plugs; plug++)
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
