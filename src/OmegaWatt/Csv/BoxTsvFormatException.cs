namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// A box TSV file has a line or column the reader does not understand; the message names the
/// line and column (and, where a choice would fix it, the <c>fleet import</c> option to give).
/// </summary>
public sealed class BoxTsvFormatException : Exception
{
    public BoxTsvFormatException()
    {
    }

    public BoxTsvFormatException(string message)
        : base(message)
    {
    }

    public BoxTsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
