namespace Fleet.Cli.Importing;

/// <summary>
/// Counts the lines handed to a line-by-line parser, so a row it yields can be named by its line
/// number in the file (the vendor CSV reader numbers only the lines it skips).
/// </summary>
internal sealed class LineCountingReader : TextReader
{
    private readonly TextReader _inner;

    public LineCountingReader(TextReader inner) => _inner = inner;

    /// <summary>Lines read so far: while the parser handles a line, that line's 1-based number.</summary>
    public long LinesRead { get; private set; }

    public override string? ReadLine()
    {
        var line = _inner.ReadLine();
        if (line is not null)
        {
            LinesRead++;
        }

        return line;
    }

    public override int Peek() => _inner.Peek();

    public override int Read() => throw new NotSupportedException("read line by line, so lines are counted");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
