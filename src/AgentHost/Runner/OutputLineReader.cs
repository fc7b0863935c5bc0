using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner;

/// <summary>
/// Splits a command's output into lines the way <see cref="TextReader.ReadLine"/> does (\n, \r\n
/// or a lone \r, so a progress bar's redraws are lines), but never holds more than
/// <see cref="LogLine.MaxChars"/> of one line: a command printing binary or a line without end
/// would otherwise grow the runner without bound. What is cut is counted in the line.
/// </summary>
public sealed class OutputLineReader
{
    private readonly TextReader _reader;
    private readonly char[] _buffer;
    private readonly char[] _line = new char[LogLine.MaxChars];
    private int _start;
    private int _end;
    private bool _skipNewline;

    /// <param name="reader">The command's stdout or stderr.</param>
    /// <param name="bufferChars">Characters read at once (small in tests, to split lines across reads).</param>
    public OutputLineReader(TextReader reader, int bufferChars = 4_096)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferChars, 1);
        _reader = reader;
        _buffer = new char[bufferChars];
    }

    /// <summary>The next line (cut to <see cref="LogLine.MaxChars"/> characters and the count of the rest), or null at the end of the output.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        long cut = 0;
        var any = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    return any ? LogLine.Cut(_line.AsSpan(0, length), cut) : null;
                }
            }

            if (_skipNewline)
            {
                // The \n of a \r\n split across two reads.
                _skipNewline = false;
                if (_buffer[_start] == '\n')
                {
                    _start++;
                    continue;
                }
            }

            var chunk = _buffer.AsSpan(_start, _end - _start);
            var stop = chunk.IndexOfAny('\n', '\r');
            var text = stop < 0 ? chunk : chunk[..stop];
            var room = Math.Min(text.Length, _line.Length - length);
            text[..room].CopyTo(_line.AsSpan(length));
            length += room;
            cut += text.Length - room;
            any = true;
            if (stop < 0)
            {
                _start = _end;
                continue;
            }

            _start += stop + 1;
            if (chunk[stop] == '\r')
            {
                if (_start < _end)
                {
                    _start += _buffer[_start] == '\n' ? 1 : 0;
                }
                else
                {
                    _skipNewline = true;
                }
            }

            return LogLine.Cut(_line.AsSpan(0, length), cut);
        }
    }
}
