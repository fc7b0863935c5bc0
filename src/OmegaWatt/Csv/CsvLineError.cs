namespace Fleet.OmegaWatt.Csv;

/// <summary>A line the reader skipped, with its 1-based line number and why.</summary>
public sealed record CsvLineError(long LineNumber, string Reason)
{
    public override string ToString() => $"line {LineNumber}: {Reason}";
}
