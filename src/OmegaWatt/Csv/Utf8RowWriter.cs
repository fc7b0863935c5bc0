using System.Globalization;
using System.Text;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Buffered UTF-8 CSV output that formats numbers straight into bytes: a million-frame
/// capture is 15 million numbers, so no string per value.
/// </summary>
internal sealed class Utf8RowWriter : IDisposable
{
    // Longest row: 48 plugs × 2 values + 3 voltages, each at most ~16 bytes, plus a timestamp.
    private const int MaxRowLength = 4096;
    private readonly Stream _output;
    private readonly byte[] _buffer;
    private int _used;

    public Utf8RowWriter(Stream output, int bufferSize = 64 * 1024)
    {
        _output = output;
        _buffer = new byte[Math.Max(bufferSize, 2 * MaxRowLength)];
    }

    /// <summary>Makes room for one more row; call before each row.</summary>
    public void BeginRow()
    {
        if (_buffer.Length - _used < MaxRowLength)
        {
            FlushBuffer();
        }
    }

    /// <summary>Writes a header line; every CSV flavour starts with one.</summary>
    public void WriteHeader(string header)
    {
        BeginRow();
        WriteText(header);
        WriteByte((byte)'\n');
    }

    /// <summary>The rest of a row for a frame without data: <c>false</c> and empty value fields, as the vendor writes it.</summary>
    public void WriteNotOkFields(int plugs)
    {
        WriteAscii(",false"u8);
        for (var k = 0; k < FrameLayout.Phases + (2 * plugs); k++)
        {
            WriteByte((byte)',');
        }
    }

    public void WriteAscii(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    public void WriteText(string text)
    {
        if (_buffer.Length - _used < Encoding.UTF8.GetMaxByteCount(text.Length))
        {
            FlushBuffer();
        }

        _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
    }

    public void WriteByte(byte value) => _buffer[_used++] = value;

    public void WriteFloat(float value)
    {
        // The shortest text that parses back to the same float, as float.TryFormat writes it.
        _used += ShortestSingleFormatter.Format(value, _buffer.AsSpan(_used));
    }

    public void WriteInteger(long value)
    {
        value.TryFormat(_buffer.AsSpan(_used), out var written, default, CultureInfo.InvariantCulture);
        _used += written;
    }

    /// <summary>Writes Unix time as <c>seconds.nanoseconds</c>, the vendor's timestamp format.</summary>
    public void WriteUnixNanoseconds(long unixNanoseconds)
    {
        var seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out var nanoseconds);
        if (nanoseconds < 0)
        {
            seconds--;
            nanoseconds += 1_000_000_000L;
        }

        WriteInteger(seconds);
        WriteByte((byte)'.');
        nanoseconds.TryFormat(_buffer.AsSpan(_used), out var written, "D9", CultureInfo.InvariantCulture);
        _used += written;
    }

    public void Flush()
    {
        FlushBuffer();
        _output.Flush();
    }

    public void Dispose() => Flush();

    private void FlushBuffer()
    {
        if (_used > 0)
        {
            _output.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
