namespace Fleet.OmegaWatt.Csv;

/// <summary>How to read a box TSV file.</summary>
/// <param name="TimeColumn">The time column by header name or 1-based number; null: column 1.</param>
/// <param name="PowerColumns"><c>"1=COL,2=COL"</c>: socket → column by header name or number; null: detected from the header.</param>
/// <param name="TimeZone">The box clock's fixed offset from UTC: a row's time minus this is UTC.</param>
/// <param name="StepSeconds">The box's averaging step; null: the most common gap between rows.</param>
public sealed record BoxTsvOptions(string? TimeColumn, string? PowerColumns, TimeSpan TimeZone, long? StepSeconds);
