using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Importing;
using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Naming;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet import</c>: logs people already have (vendor CSV, the box's low-frequency TSV) into Fleet.</summary>
internal static class ImportCommand
{
    private const string VendorCsv = "vendor-csv";
    private const string BoxTsv = "box-tsv";

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The log to import." };
        var box = new Option<string>("--box") { Description = "The box the log was recorded from (its Fleet id, e.g. omegawatt-a).", Required = true, HelpName = "BOX" };
        var format = new Option<string>("--format")
        {
            Description = $"{VendorCsv}: wattmetre-read's 10 ms CSV (default); {BoxTsv}: the box's low-frequency history from its Wi-Fi page.",
            DefaultValueFactory = _ => VendorCsv,
            HelpName = "FORMAT",
        };
        format.AcceptOnlyFromAmong(VendorCsv, BoxTsv);
        var utcOffset = new Option<string?>("--utc-offset")
        {
            Description = "vendor-csv: how far the logging host's clock was AHEAD of UTC; subtracted from every timestamp. "
                + "A host set to local time (UTC+1) writing it as if UTC needs +01:00. Default +00:00 (the log is UTC).",
            HelpName = "±HH:MM[:SS]",
        };
        var timeColumn = new Option<string?>("--time-column") { Description = "box-tsv: the time column, by header name or 1-based number (default: column 1).", HelpName = "NAME|N" };
        var timeZone = new Option<string?>("--time-zone") { Description = "box-tsv: the zone of the box's clock, a fixed offset (default UTC).", HelpName = "±HH:MM|UTC" };
        var powerColumns = new Option<string?>("--power-columns")
        {
            Description = "box-tsv: socket=column pairs, columns by header name or number (default: every column named P1…Pn, activepow1… or power1…).",
            HelpName = "\"1=COL,2=COL,…\"",
        };
        var stepSeconds = new Option<long?>("--step-seconds") { Description = "box-tsv: the box's averaging step in seconds (default: the most common gap between rows).", HelpName = "N" };

        var command = new Command("import", """
            Import logs you already have: wattmetre-read's CSV, or the box's own low-frequency history.

            vendor-csv (default): a wattmetre-read log (#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,…)
            goes into the box's 10 ms storage, exactly as frames from an agent would. Timestamps are the
            logging host's clock as Unix seconds.nanoseconds; storage keeps microseconds. If that clock was
            not UTC, say by how much it was ahead with --utc-offset (the classic: local time UTC+1 written
            as UTC is --utc-offset +01:00). Malformed lines (NaN, wrong field count, bad timestamp, a time
            not after the previous row's) are listed with their line numbers and skipped; the valid lines
            are kept and the exit code is 0. Importing the same file again stores nothing new.

            box-tsv: the box's low-frequency history (1 s to 2 h steps). Default layout: a tab-separated
            header row, the time in column 1 as YYYY-MM-DD HH:MM:SS in --time-zone, one power column per
            socket named P1…Pn (or activepow1…, power1…), decimal point or comma; other columns ignored.
            It is stored as low-frequency data, apart from the 10 ms frames (never in fleet energy):
            read it with GET /api/boxes/BOX/low-frequency. Any line it does not understand stops the
            import before anything is stored, naming the line and column.

            Examples:
              fleet import wattmetre.log --box omegawatt-a
              fleet import wattmetre.log --box omegawatt-a --utc-offset +01:00 --json
              fleet import --format box-tsv history.tsv --box omegawatt-a --time-zone +01:00
              fleet import --format box-tsv export.tsv --box omegawatt-a --time-column Date \
                  --power-columns "1=activepow1,2=activepow2,3=activepow3" --step-seconds 60
            """)
        {
            file, box, format, utcOffset, timeColumn, timeZone, powerColumns, stepSeconds,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("import", async () =>
        {
            var path = parse.GetValue(file)!;
            var boxId = parse.GetValue(box)!;
            var tsv = parse.GetValue(format) == BoxTsv;
            if (!IdRule.IsValid(boxId))
            {
                throw new CliException("--box " + IdRule.Invalid(boxId, "box id"));
            }

            var misplaced = tsv
                ? (parse.GetValue(utcOffset) is null ? null : "--utc-offset is for vendor-csv logs; a box-tsv file's clock is given with --time-zone")
                : new[] { (timeColumn.Name, parse.GetValue(timeColumn)), (timeZone.Name, parse.GetValue(timeZone)), (powerColumns.Name, parse.GetValue(powerColumns)), (stepSeconds.Name, parse.GetValue(stepSeconds)?.ToString(CultureInfo.InvariantCulture)) }
                    .Where(o => o.Item2 is not null).Select(o => $"{o.Name} is for --format box-tsv").FirstOrDefault();
            if (misplaced is not null)
            {
                throw new CliException(misplaced);
            }

            if (Directory.Exists(path))
            {
                throw new CliException($"{path} is a directory, not a log file");
            }

            if (!File.Exists(path))
            {
                throw new CliException($"no such file: {path}");
            }

            if (BinaryFile.Describe(path) is { } binary)
            {
                throw new CliException($"{path} is {binary}");
            }

            var json = parse.GetValue(GlobalOptions.Json);
            using var client = GlobalOptions.Client(parse);
            if (tsv)
            {
                var zone = parse.GetValue(timeZone) is { } zoneText ? UtcOffset.Parse(zoneText, "--time-zone", allowSeconds: false) : TimeSpan.Zero;
                var options = new BoxTsvOptions(parse.GetValue(timeColumn), parse.GetValue(powerColumns), zone, parse.GetValue(stepSeconds));
                var stored = await BoxTsvImport.RunAsync(client, path, boxId, options, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(json ? CliJson.Write(stored.ToReport(path, boxId, zone)) : string.Create(CultureInfo.InvariantCulture,
                    $"{path} → box {boxId}, low-frequency (kept apart from 10 ms frames): {stored.Rows} rows × {stored.Sockets.Count} sockets ({string.Join(", ", stored.Sockets)}), "
                    + $"{IsoTime.FormatUnixSeconds(stored.FirstUnixSeconds)} to {IsoTime.FormatUnixSeconds(stored.LastUnixSeconds + stored.StepSeconds)}, step {stored.StepSeconds} s{(stored.StepInferred ? " (inferred)" : string.Empty)}, "
                    + $"clock {UtcOffset.Format(zone)}: {stored.Inserted} new, {stored.Updated} changed, {stored.Unchanged} already stored"));
                return 0;
            }

            var offset = parse.GetValue(utcOffset) is { } offsetText ? UtcOffset.Parse(offsetText, "--utc-offset", allowSeconds: true) : TimeSpan.Zero;
            var summary = await VendorCsvImport.RunAsync(client, path, boxId, offset, cancellationToken).ConfigureAwait(false);
            foreach (var skipped in summary.Skipped)
            {
                await Console.Error.WriteLineAsync($"fleet import: {path}: {skipped}, skipped").ConfigureAwait(false);
            }

            if (summary.SkippedLines > summary.Skipped.Count)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fleet import: … and {summary.SkippedLines - summary.Skipped.Count} more")).ConfigureAwait(false);
            }

            if (summary.SkippedLines > 0)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fleet import: {summary.SkippedLines} lines skipped, {summary.Frames} kept")).ConfigureAwait(false);
            }

            Console.WriteLine(json ? CliJson.Write(summary.ToReport(path, boxId, offset)) : string.Create(CultureInfo.InvariantCulture,
                $"{path} → box {boxId}: {summary.Frames} frames ({summary.FramesValid} with data) of {summary.Plugs} plugs, "
                + $"{IsoTime.FormatUnixMicroseconds(summary.FirstUnixMicroseconds!.Value)} to {IsoTime.FormatUnixMicroseconds(summary.LastUnixMicroseconds)} UTC (the log's clock was {UtcOffset.Format(offset)} from UTC, subtracted); "
                + $"{summary.FramesStored} frames stored now in {summary.BatchesStored} batches, {summary.BatchesDuplicate} batches already stored; {summary.SkippedLines} lines skipped"));
            return 0;
        }));
        return command;
    }
}
