using System.Security.Cryptography;
using System.Text;
using Fleet.Api.Contracts.Importing;
using Fleet.Cli.Api;
using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Importing;

/// <summary>
/// A vendor CSV log (<c>#timestamp,#frame_is_ok,#U1,…</c>) into a box's 10 ms storage, in batches
/// the box's meter grain stores exactly once: the source id is the file's SHA-256 (with the
/// offset), the sequence the batch's number in the file, so importing the same file again
/// stores nothing and an interrupted import resumes where it stopped.
/// </summary>
internal static class VendorCsvImport
{
    /// <summary>About ten seconds of frames per request: few requests, small bodies.</summary>
    public const int FramesPerBatch = 1000;

    /// <summary>Skipped lines listed one by one; the rest are counted.</summary>
    public const int ListedErrors = 10;

    private const long NanosecondsPerMicrosecond = 1000;

    public static async Task<VendorCsvSummary> RunAsync(FleetApiClient client, string path, string boxId, TimeSpan utcOffset, CancellationToken cancellationToken)
    {
        var sourceId = $"import:{await HashAsync(path, cancellationToken).ConfigureAwait(false)}:{UtcOffset.Format(utcOffset)}";
        var offsetMicroseconds = utcOffset.Ticks / 10;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var lines = new LineCountingReader(new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
        VendorCsvReader reader;
        try
        {
            reader = new VendorCsvReader(lines);
        }
        catch (VendorCsvFormatException error)
        {
            throw new CliException($"{path}: {error.Message}");
        }

        var progress = new ImportProgress(file.Length);
        var outOfOrder = new List<CsvLineError>();
        long outOfOrderCount = 0;
        var batch = new Batch(reader.Plugs);
        var summary = new VendorCsvSummary { SourceId = sourceId, Plugs = reader.Plugs };
        long sequence = 0;
        long previous = long.MinValue;
        long previousLine = 0;
        foreach (var record in reader.ReadRecords())
        {
            var line = lines.LinesRead;
            var time = FloorDiv(record.UnixTimeNanoseconds, NanosecondsPerMicrosecond) - offsetMicroseconds;
            if (time <= previous)
            {
                // Storage keys frames by time: a row not after the previous one (a clock stepped
                // back, or two rows in the same microsecond) is reported and skipped, not guessed.
                outOfOrderCount++;
                if (outOfOrder.Count < ListedErrors)
                {
                    outOfOrder.Add(new CsvLineError(line, $"timestamp is not after line {previousLine}'s"));
                }

                continue;
            }

            previous = time;
            previousLine = line;
            batch.Add(record, time, line, summary.Frames);
            summary.Frames++;
            summary.FramesValid += record.IsOk ? 1 : 0;
            summary.FirstUnixMicroseconds ??= time;
            summary.LastUnixMicroseconds = time;
            if (batch.Count == FramesPerBatch)
            {
                await SendAsync(client, boxId, sourceId, ++sequence, batch, summary, cancellationToken).ConfigureAwait(false);
            }

            progress.Report("importing", line, file.Position);
        }

        summary.SkippedLines = reader.SkippedLines + outOfOrderCount;
        summary.Skipped = [.. reader.Errors.Concat(outOfOrder).OrderBy(e => e.LineNumber).Take(ListedErrors)];
        if (summary.Frames == 0)
        {
            throw new CliException(summary.SkippedLines == 0
                ? $"{path} has a header but no rows: nothing to import"
                : $"{path}: none of its {summary.SkippedLines} rows is valid ({summary.Skipped[0]}); nothing imported");
        }

        if (batch.Count > 0)
        {
            await SendAsync(client, boxId, sourceId, ++sequence, batch, summary, cancellationToken).ConfigureAwait(false);
        }

        return summary;
    }

    private static async Task SendAsync(FleetApiClient client, string boxId, string sourceId, long sequence, Batch batch, VendorCsvSummary summary, CancellationToken cancellationToken)
    {
        var request = new FramesImportRequest(sourceId, sequence, batch.Plugs, batch.Times, batch.FrameIds, batch.Valid, batch.Volts, batch.Currents, batch.Powers, batch.Lines);
        var answer = await client.ImportFramesAsync(boxId, request, cancellationToken).ConfigureAwait(false);
        if (answer.Outcome == IngestOutcome.Duplicate)
        {
            summary.BatchesDuplicate++;
        }
        else
        {
            summary.BatchesStored++;
            // Frames another file or agent stored before with the same times and values are not stored twice.
            summary.FramesStored += answer.FramesStored;
        }

        batch.Clear();
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static long FloorDiv(long value, long divisor) => (value / divisor) - ((value % divisor) < 0 ? 1 : 0);

    /// <summary>One request's frames as column arrays; values of frames without data are sent as 0 (the silo stores NaN).</summary>
    private sealed class Batch
    {
        private readonly List<long> _times = new(FramesPerBatch);
        private readonly List<int> _frameIds = new(FramesPerBatch);
        private readonly List<bool> _valid = new(FramesPerBatch);
        private readonly List<long> _lines = new(FramesPerBatch);
        private readonly List<float> _volts = new(3 * FramesPerBatch);
        private readonly List<float> _currents;
        private readonly List<float> _powers;

        public Batch(int plugs)
        {
            Plugs = plugs;
            _currents = new List<float>(plugs * FramesPerBatch);
            _powers = new List<float>(plugs * FramesPerBatch);
        }

        public int Plugs { get; }

        public int Count => _times.Count;

        public long[] Times => [.. _times];

        public int[] FrameIds => [.. _frameIds];

        public bool[] Valid => [.. _valid];

        public long[] Lines => [.. _lines];

        public float[] Volts => [.. _volts];

        public float[] Currents => [.. _currents];

        public float[] Powers => [.. _powers];

        public void Add(VendorCsvRecord record, long timeUnixMicroseconds, long line, long index)
        {
            _times.Add(timeUnixMicroseconds);

            // The log has no frame ids: consecutive ones, wrapping like the box's u16.
            _frameIds.Add((int)(index & 0xFFFF));
            _valid.Add(record.IsOk);
            _lines.Add(line);
            if (record.IsOk)
            {
                _volts.AddRange(record.VoltagesVolts);
                _currents.AddRange(record.CurrentsAmperes);
                _powers.AddRange(record.PowersWatts);
            }
            else
            {
                _volts.AddRange(new float[FrameLayout.Phases]);
                _currents.AddRange(new float[Plugs]);
                _powers.AddRange(new float[Plugs]);
            }
        }

        public void Clear()
        {
            _times.Clear();
            _frameIds.Clear();
            _valid.Clear();
            _lines.Clear();
            _volts.Clear();
            _currents.Clear();
            _powers.Clear();
        }
    }
}

/// <summary>What a vendor CSV import did, for the text and JSON outputs.</summary>
internal sealed class VendorCsvSummary
{
    public string SourceId { get; init; } = string.Empty;

    public int Plugs { get; init; }

    public long Frames { get; set; }

    public long FramesValid { get; set; }

    public long FramesStored { get; set; }

    public long BatchesStored { get; set; }

    public long BatchesDuplicate { get; set; }

    public long SkippedLines { get; set; }

    public IReadOnlyList<CsvLineError> Skipped { get; set; } = [];

    public long? FirstUnixMicroseconds { get; set; }

    public long LastUnixMicroseconds { get; set; }

    public VendorCsvImportReport ToReport(string path, string boxId, TimeSpan utcOffset) => new(
        "vendor-csv",
        path,
        boxId,
        SourceId,
        Plugs,
        UtcOffset.Format(utcOffset),
        Frames,
        FramesValid,
        Frames - FramesValid,
        FramesStored,
        BatchesStored,
        BatchesDuplicate,
        SkippedLines,
        [.. Skipped.Select(e => new SkippedLine(e.LineNumber, e.Reason))],
        FirstUnixMicroseconds is { } first ? IsoTime.FormatUnixMicroseconds(first) : null,
        FirstUnixMicroseconds is null ? null : IsoTime.FormatUnixMicroseconds(LastUnixMicroseconds));
}
