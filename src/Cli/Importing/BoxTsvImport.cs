using System.Globalization;
using System.Text;
using Fleet.Api.Contracts.Importing;
using Fleet.Cli.Api;

namespace Fleet.Cli.Importing;

/// <summary>
/// A box's low-frequency history (TSV from its Wi-Fi page) into the low-frequency table. The file
/// is read twice: once to check every line and find the step, so a layout it does not understand
/// stores nothing, then to send the rows. Rows are upserted, so a re-import changes nothing.
/// </summary>
internal static class BoxTsvImport
{
    /// <summary>Values (rows × sockets) per request.</summary>
    public const int ValuesPerRequest = 20_000;

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm:ss.FFF",
    ];

    public static async Task<BoxTsvSummary> RunAsync(FleetApiClient client, string path, string boxId, BoxTsvOptions options, CancellationToken cancellationToken)
    {
        // Pass 1: every line checked, the step found; nothing is sent yet.
        var progress = new ImportProgress(new FileInfo(path).Length);
        BoxTsvLayout? layout = null;
        long rows = 0;
        long first = 0;
        long last = 0;
        var gaps = new Dictionary<long, long>();
        var shortestGap = long.MaxValue;
        long shortestGapLine = 0;
        foreach (var row in Read(path, options, progress, "checking", l => layout = l))
        {
            if (rows == 0)
            {
                first = row.UnixSeconds;
            }
            else
            {
                var gap = row.UnixSeconds - last;
                gaps[gap] = gaps.GetValueOrDefault(gap) + 1;
                if (gap < shortestGap)
                {
                    (shortestGap, shortestGapLine) = (gap, row.Line);
                }
            }

            last = row.UnixSeconds;
            rows++;
        }

        if (layout is null || rows == 0)
        {
            throw new CliException($"{path} has no data rows (a header, then one row per step)");
        }

        var step = options.StepSeconds ?? InferStep(gaps, rows);
        if (step < 1)
        {
            throw new CliException($"--step-seconds {step}: give the box's averaging step in whole seconds (1, 3, 60, 600, 7200)");
        }

        if (shortestGap < step)
        {
            throw new CliException(
                $"line {shortestGapLine}: {shortestGap} s after the previous row, less than the step of {step} s{(options.StepSeconds is null ? " (inferred; give --step-seconds)" : string.Empty)}: steps would overlap");
        }

        // Pass 2: the same rows, sent in requests of about ValuesPerRequest values.
        var sockets = layout.PowerColumns.Select(p => p.Socket).ToArray();
        var summary = new BoxTsvSummary { Rows = rows, Sockets = sockets, StepSeconds = step, StepInferred = options.StepSeconds is null, FirstUnixSeconds = first, LastUnixSeconds = last };
        var rowsPerRequest = Math.Max(1, ValuesPerRequest / sockets.Length);
        var socketColumn = new List<int>();
        var times = new List<long>();
        var means = new List<double>();
        foreach (var row in Read(path, options, progress, "importing", _ => { }))
        {
            for (var k = 0; k < sockets.Length; k++)
            {
                socketColumn.Add(sockets[k]);
                times.Add(row.UnixSeconds);
                means.Add(row.Watts[k]);
            }

            if (times.Count >= rowsPerRequest * sockets.Length)
            {
                await SendAsync(client, boxId, step, socketColumn, times, means, summary, cancellationToken).ConfigureAwait(false);
            }
        }

        if (times.Count > 0)
        {
            await SendAsync(client, boxId, step, socketColumn, times, means, summary, cancellationToken).ConfigureAwait(false);
        }

        return summary;
    }

    /// <summary>The most common gap between rows: the box writes one row per step, and a gap is an outage.</summary>
    private static long InferStep(Dictionary<long, long> gaps, long rows) =>
        rows < 2
            ? throw new CliException("one data row: the step cannot be inferred; give --step-seconds")
            : gaps.OrderByDescending(g => g.Value).ThenBy(g => g.Key).First().Key;

    private static async Task SendAsync(FleetApiClient client, string boxId, long step, List<int> sockets, List<long> times, List<double> means, BoxTsvSummary summary, CancellationToken cancellationToken)
    {
        var answer = await client.ImportLowFrequencyAsync(boxId, new LowFrequencyImportRequest((int)step, [.. sockets], [.. times], [.. means]), cancellationToken).ConfigureAwait(false);
        summary.Inserted += answer.Inserted;
        summary.Updated += answer.Updated;
        summary.Unchanged += answer.Unchanged;
        sockets.Clear();
        times.Clear();
        means.Clear();
    }

    private static IEnumerable<TsvRow> Read(string path, BoxTsvOptions options, ImportProgress progress, string what, Action<BoxTsvLayout> onHeader)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        BoxTsvLayout? layout = null;
        long line = 0;
        long? previous = null;
        while (reader.ReadLine() is { } text)
        {
            line++;
            text = text.TrimEnd('\r');
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (layout is null)
            {
                layout = BoxTsvLayout.FromHeader(text, options.TimeColumn, options.PowerColumns);
                onHeader(layout);
                continue;
            }

            var fields = text.Split('\t');
            if (fields.Length < layout.Header.Length)
            {
                throw new CliException($"line {line}: {fields.Length} tab-separated fields, the header has {layout.Header.Length}");
            }

            var timeText = fields[layout.TimeColumn].Trim();
            if (!DateTime.TryParseExact(timeText, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                throw new CliException($"line {line}, {layout.Describe(layout.TimeColumn)}: '{Shorten(timeText)}' is not a time like 2026-11-25 10:00:00 (YYYY-MM-DD HH:MM:SS, in --time-zone)");
            }

            var unixSeconds = new DateTimeOffset(local, options.TimeZone).ToUnixTimeSeconds();
            if (previous is { } before && unixSeconds <= before)
            {
                throw new CliException($"line {line}: time {timeText} is not after the previous row's (times must increase; a clock change? the box's time zone is one fixed --time-zone)");
            }

            previous = unixSeconds;
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
                    throw new CliException($"line {line}, {layout.Describe(column)}: '{Shorten(value)}' is not a power in watts");
                }
            }

            yield return new TsvRow(line, unixSeconds, watts);
            progress.Report(what, line, file.Position);
        }

        if (layout is null)
        {
            throw new CliException($"{path} is empty: expected a header row, e.g. time<TAB>P1<TAB>P2<TAB>P3");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed record TsvRow(long Line, long UnixSeconds, double[] Watts);
}

/// <summary>How to read a box TSV: column choices (null: the default layout), the clock's zone, the step (null: inferred).</summary>
internal sealed record BoxTsvOptions(string? TimeColumn, string? PowerColumns, TimeSpan TimeZone, long? StepSeconds);
