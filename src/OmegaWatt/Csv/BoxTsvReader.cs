using System.Globalization;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Reads a box's low-frequency history, the TSV its Wi-Fi page serves: a header row (see
/// <see cref="BoxTsvLayout"/>), then one row per averaging step with the time in the box's zone
/// and a mean power per socket (decimal point or comma). Unlike the vendor CSV reader it skips
/// nothing: the first line or column it does not understand throws, naming both, since a
/// misread column would store wrong energy rather than a gap.
/// </summary>
public sealed class BoxTsvReader
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm:ss.FFF",
    ];

    private readonly TextReader _input;
    private readonly BoxTsvOptions _options;

    public BoxTsvReader(TextReader input, BoxTsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        _input = input;
        _options = options;
    }

    /// <summary>The columns, once the header line has been read.</summary>
    public BoxTsvLayout? Layout { get; private set; }

    /// <summary>Lines read so far (blank ones included): while a row is handled, its line number.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The data rows in file order, times strictly increasing.</summary>
    /// <exception cref="BoxTsvFormatException">A line or column is not understood, or the file is empty.</exception>
    public IEnumerable<BoxTsvRow> ReadRows()
    {
        long? previous = null;
        while (_input.ReadLine() is { } text)
        {
            LineNumber++;
            text = text.TrimEnd('\r');
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (Layout is null)
            {
                Layout = BoxTsvLayout.FromHeader(text, _options.TimeColumn, _options.PowerColumns);
                continue;
            }

            var row = ParseRow(Layout, text, LineNumber, previous);
            previous = row.UnixSeconds;
            yield return row;
        }

        if (Layout is null)
        {
            throw new BoxTsvFormatException("the file is empty: expected a header row, e.g. time<TAB>P1<TAB>P2<TAB>P3");
        }
    }

    private BoxTsvRow ParseRow(BoxTsvLayout layout, string text, long line, long? previous)
    {
        var fields = text.Split('\t');
        if (fields.Length < layout.Header.Length)
        {
            throw new BoxTsvFormatException($"line {line}: {fields.Length} tab-separated fields, the header has {layout.Header.Length}");
        }

        var timeText = fields[layout.TimeColumn].Trim();
        if (!DateTime.TryParseExact(timeText, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new BoxTsvFormatException($"line {line}, {layout.Describe(layout.TimeColumn)}: '{Shorten(timeText)}' is not a time like 2026-11-25 10:00:00 (YYYY-MM-DD HH:MM:SS, in --time-zone)");
        }

        var unixSeconds = new DateTimeOffset(local, _options.TimeZone).ToUnixTimeSeconds();
        if (previous is { } before && unixSeconds <= before)
        {
            throw new BoxTsvFormatException($"line {line}: time {timeText} is not after the previous row's (times must increase; a clock change? the box's time zone is one fixed --time-zone)");
        }

        var watts = new double[layout.PowerColumns.Count];
        for (var k = 0; k < watts.Length; k++)
        {
            var column = layout.PowerColumns[k].Column;
            var value = fields[column].Trim();

            // A decimal comma (the box's locale) is a decimal point; no thousands separators.
            var normalized = value.Contains(',', StringComparison.Ordinal) && !value.Contains('.', StringComparison.Ordinal) ? value.Replace(',', '.') : value;
            if (!double.TryParse(normalized, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out watts[k])
                || !double.IsFinite(watts[k]) || Math.Abs(watts[k]) > 1e9)
            {
                throw new BoxTsvFormatException($"line {line}, {layout.Describe(column)}: '{Shorten(value)}' is not a power in watts");
            }
        }

        return new BoxTsvRow(line, unixSeconds, watts);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
