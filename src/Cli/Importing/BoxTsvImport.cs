using System.Text;
using Fleet.Api.Contracts.Importing;
using Fleet.Cli.Api;
using Fleet.OmegaWatt.Csv;

namespace Fleet.Cli.Importing;

/// <summary>
/// A box's low-frequency history (TSV from its Wi-Fi page, read by <see cref="BoxTsvReader"/>)
/// into the low-frequency table. The file is read twice: once to check every line and find the
/// step, so a layout the reader does not understand stores nothing, then to send the rows. Rows
/// are upserted, so a re-import changes nothing.
/// </summary>
internal static class BoxTsvImport
{
    /// <summary>Values (rows × sockets) per request.</summary>
    public const int ValuesPerRequest = 20_000;

    public static async Task<BoxTsvSummary> RunAsync(FleetApiClient client, string path, string boxId, BoxTsvOptions options, CancellationToken cancellationToken)
    {
        // Pass 1: every line checked, the step found; nothing is sent yet.
        var progress = new ImportProgress(new FileInfo(path).Length);
        var timeline = new BoxTsvTimeline();
        BoxTsvLayout? layout = null;
        foreach (var row in Read(path, options, progress, "checking", l => layout = l))
        {
            timeline.Add(row);
        }

        if (layout is null || timeline.Rows == 0)
        {
            throw new CliException($"{path} has no data rows (a header, then one row per step)");
        }

        var step = Checked(path, () => timeline.Step(options.StepSeconds));

        // Pass 2: the same rows, sent in requests of about ValuesPerRequest values.
        var sockets = layout.PowerColumns.Select(p => p.Socket).ToArray();
        var summary = new BoxTsvSummary
        {
            Rows = timeline.Rows,
            Sockets = sockets,
            StepSeconds = step,
            StepInferred = options.StepSeconds is null,
            FirstUnixSeconds = timeline.FirstUnixSeconds,
            LastUnixSeconds = timeline.LastUnixSeconds,
        };
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

    /// <summary>The file's rows, each checked; what the reader does not understand becomes one line naming the file.</summary>
    private static IEnumerable<BoxTsvRow> Read(string path, BoxTsvOptions options, ImportProgress progress, string what, Action<BoxTsvLayout> onHeader)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var text = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var reader = new BoxTsvReader(text, options);
        using var rows = reader.ReadRows().GetEnumerator();
        var headerSeen = false;
        while (Checked(path, rows.MoveNext))
        {
            if (!headerSeen)
            {
                onHeader(reader.Layout!);
                headerSeen = true;
            }

            yield return rows.Current;
            progress.Report(what, reader.LineNumber, file.Position);
        }

        if (!headerSeen && reader.Layout is { } layout)
        {
            onHeader(layout);
        }
    }

    private static T Checked<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (BoxTsvFormatException error)
        {
            throw new CliException($"{path}: {error.Message}");
        }
    }
}
