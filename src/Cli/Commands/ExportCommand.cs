using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fleet.Cli.Api;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet export</c>: a box's stored frames as the vendor's CSV, streamed from the silo to a file or stdout.</summary>
internal static class ExportCommand
{
    private const int CopyBufferBytes = 64 * 1024;

    /// <summary>Progress is a status line, not a log: redrawn at most this often.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var box = new Option<string>("--box") { Description = "The box whose frames to export.", Required = true, HelpName = "BOX" };
        var from = new Option<string>("--from") { Description = "Window start, ISO 8601 (no offset = UTC).", Required = true, HelpName = "TIME" };
        var to = new Option<string>("--to") { Description = "Window end (exclusive), ISO 8601 or 'now'.", Required = true, HelpName = "TIME" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the CSV here (progress on stderr) instead of standard output.", HelpName = "FILE" };
        var command = new Command("export", """
            Export every stored frame of a box in [--from, --to) as the vendor's CSV
            (#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,…), full float precision,
            timestamps seconds.nanoseconds UTC, frames without data as 'false' rows. Lost frames have
            no row. The CSV is streamed: any window fits, however long.

            Examples:
              fleet export --box omegawatt-a --from 2026-11-25T10:00:00Z --to 2026-11-25T11:00:00Z > log.csv
              fleet export --box omegawatt-a --from 2026-11-25T10:00:00Z --to now -o log.csv
            """)
        {
            box, from, to, output,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("export", async () =>
        {
            var (start, end) = GlobalOptions.ParseWindow(parse.GetValue(from)!, parse.GetValue(to)!);
            using var client = GlobalOptions.Client(parse);
            await ExportAsync(client, parse.GetValue(box)!, start, end, parse.GetValue(output), cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task ExportAsync(FleetApiClient client, string box, DateTimeOffset from, DateTimeOffset to, string? outputPath, CancellationToken cancellationToken)
    {
        // The file is created only once the silo accepted the request: a typo leaves no empty file behind.
        await using var body = await client.ExportAsync(box, from, to, cancellationToken).ConfigureAwait(false);
        var toFile = outputPath is not null and not "-";
        await using var destination = toFile ? OpenFile(outputPath!) : Console.OpenStandardOutput();
        var progress = new ExportProgress(toFile && !Console.IsErrorRedirected);
        try
        {
            await CopyAsync(body, destination, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or HttpIOException || (error is IOException && !cancellationToken.IsCancellationRequested))
        {
            // The silo aborts the transfer when storage fails mid-stream: say the output is cut, never leave it looking whole.
            progress.Finish();
            throw new CliException($"the export broke off after {progress.Rows} rows ({error.Message}){(toFile ? $": {outputPath} is incomplete" : string.Empty)}");
        }

        progress.Finish();
        if (toFile)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fleet export: {progress.Rows} rows, {progress.Bytes} bytes written to {outputPath}")).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(Stream source, Stream destination, ExportProgress progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[CopyBufferBytes];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            progress.Add(buffer.AsSpan(0, read));
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {error.Message}");
        }
    }

    /// <summary>Counts bytes and CSV rows (the header excluded) and redraws one status line on stderr at most once a second.</summary>
    private sealed class ExportProgress(bool show)
    {
        private readonly Stopwatch _sinceDrawn = Stopwatch.StartNew();
        private long _lines;
        private bool _drawn;

        public long Bytes { get; private set; }

        public long Rows => Math.Max(0, _lines - 1);

        public void Add(ReadOnlySpan<byte> chunk)
        {
            Bytes += chunk.Length;
            _lines += chunk.Count((byte)'\n');
            if (show && _sinceDrawn.Elapsed >= ProgressInterval)
            {
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rfleet export: {Rows} rows, {Bytes / 1_000_000.0:F1} MB so far"));
                _drawn = true;
                _sinceDrawn.Restart();
            }
        }

        public void Finish()
        {
            if (_drawn)
            {
                // Clear the status line so what follows starts at column 0.
                Console.Error.Write("\r\u001b[K");
                _drawn = false;
            }
        }
    }
}
