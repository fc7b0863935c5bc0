using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// Which columns of a box's low-frequency TSV hold what. The default layout: a header row, the
/// time in the first column, and one power column per socket named <c>P1</c>…<c>Pn</c>,
/// <c>activepow1</c>…, <c>power1</c>… (a unit suffix such as <c>P1 (W)</c> or <c>P1_W</c> is
/// allowed); other columns (voltage, current, energy, power factor) are ignored.
/// <c>--time-column</c> and <c>--power-columns</c> name columns by header name or 1-based number.
/// </summary>
public sealed partial class BoxTsvLayout
{
    private BoxTsvLayout(string[] header, int timeColumn, IReadOnlyList<(int Socket, int Column)> powerColumns)
    {
        Header = header;
        TimeColumn = timeColumn;
        PowerColumns = powerColumns;
    }

    public string[] Header { get; }

    /// <summary>0-based.</summary>
    public int TimeColumn { get; }

    /// <summary>Socket (1-based) and its 0-based column, by socket.</summary>
    public IReadOnlyList<(int Socket, int Column)> PowerColumns { get; }

    public static BoxTsvLayout FromHeader(string headerLine, string? timeColumn, string? powerColumns)
    {
        ArgumentNullException.ThrowIfNull(headerLine);
        var header = headerLine.Split('\t').Select(Clean).ToArray();
        if (header.Length < 2)
        {
            throw new BoxTsvFormatException($"line 1: not a tab-separated header ('{Shorten(headerLine)}'): expected e.g. time<TAB>P1<TAB>P2<TAB>P3 (the TSV the box's web page serves)");
        }

        var time = timeColumn is null ? 0 : Column(header, timeColumn, "--time-column");
        var power = powerColumns is null ? Detect(header, time) : Mapping(header, powerColumns);
        if (power.Any(p => p.Column == time))
        {
            throw new BoxTsvFormatException($"column {time + 1} ('{header[time]}') cannot be both the time and a socket's power");
        }

        return new BoxTsvLayout(header, time, power);
    }

    public string Describe(int column) => $"column {column + 1} ('{Header[column]}')";

    private static List<(int Socket, int Column)> Detect(string[] header, int timeColumn)
    {
        var found = new List<(int Socket, int Column)>();
        for (var column = 0; column < header.Length; column++)
        {
            var match = PowerName().Match(header[column]);
            if (column == timeColumn || !match.Success)
            {
                continue;
            }

            var socket = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!FrameLayout.IsValidSocket(socket))
            {
                throw new BoxTsvFormatException($"line 1: column {column + 1} ('{header[column]}') names socket {socket}; sockets are 1 to {FrameLayout.MaxPlugs}");
            }

            if (found.Any(f => f.Socket == socket))
            {
                throw new BoxTsvFormatException($"line 1: socket {socket} has two power columns ({found.First(f => f.Socket == socket).Column + 1} and {column + 1}): choose with --power-columns");
            }

            found.Add((socket, column));
        }

        return found.Count > 0
            ? [.. found.OrderBy(f => f.Socket)]
            : throw new BoxTsvFormatException(
                $"line 1: no power column in the header ({string.Join(", ", header.Select(Shorten))}): expected P1…Pn or activepow1…, or give --power-columns \"1=COLUMN,2=COLUMN\"");
    }

    private static List<(int Socket, int Column)> Mapping(string[] header, string text)
    {
        var mapping = new List<(int Socket, int Column)>();
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !int.TryParse(pair.AsSpan(0, equals), NumberStyles.None, CultureInfo.InvariantCulture, out var socket) || !FrameLayout.IsValidSocket(socket))
            {
                throw new BoxTsvFormatException($"--power-columns: '{pair}' is not SOCKET=COLUMN (socket 1 to {FrameLayout.MaxPlugs}, column a header name or number), e.g. \"1=P1,2=P2\"");
            }

            if (mapping.Any(m => m.Socket == socket))
            {
                throw new BoxTsvFormatException($"--power-columns: socket {socket} is given twice");
            }

            mapping.Add((socket, Column(header, pair[(equals + 1)..].Trim(), $"--power-columns {socket}=")));
        }

        return mapping.Count > 0
            ? [.. mapping.OrderBy(m => m.Socket)]
            : throw new BoxTsvFormatException("--power-columns is empty: give SOCKET=COLUMN pairs, e.g. \"1=P1,2=P2\"");
    }

    /// <summary>A column by 1-based number or by header name (case-insensitive).</summary>
    private static int Column(string[] header, string text, string option)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= header.Length
                ? number - 1
                : throw new BoxTsvFormatException($"{option}{text}: the header (line 1) has columns 1 to {header.Length}");
        }

        var index = Array.FindIndex(header, h => string.Equals(h, Clean(text), StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new BoxTsvFormatException($"{option}'{text}' is not a column of the header (line 1: {string.Join(", ", header.Select(Shorten))})");
    }

    private static string Clean(string name) => name.Trim().TrimStart('#').Trim();

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";

    [GeneratedRegex(@"^(?:p|activepow|activepower|power|puissance)[ _-]?(\d{1,3})(?:[ _-]?\(?w\)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PowerName();
}
