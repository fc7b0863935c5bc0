using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
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
            var start = GlobalOptions.ParseTime(parse.GetValue(from)!, "--from");
            var end = GlobalOptions.ParseTime(parse.GetValue(to)!, "--to");
            if (end <= start)
            {
                throw new CliException($"--from ({GlobalOptions.Iso(start)}) must be before --to ({GlobalOptions.Iso(end)})");
            }

            var settings = ApiSettings.Resolve(parse.GetValue(GlobalOptions.Url), parse.GetValue(GlobalOptions.Token));
            var path = $"/api/export?box={Uri.EscapeDataString(parse.GetValue(box)!)}&from={Uri.EscapeDataString(GlobalOptions.Iso(start))}&to={Uri.EscapeDataString(GlobalOptions.Iso(end))}";
            await ExportAsync(settings, path, parse.GetValue(output), cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task ExportAsync(ApiSettings settings, string path, string? outputPath, CancellationToken cancellationToken)
    {
        // No overall timeout: a long window streams for as long as it takes; connecting is still bounded.
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { BaseAddress = settings.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error) when (error.InnerException is SocketException || error.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CliException($"cannot reach the Fleet silo at {settings.BaseAddress} ({error.Message}); is it running? (--url, FLEET_URL or ~/.config/fleet/config.json)");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }

            // The file is created only once the silo accepted the request: a typo leaves no empty file behind.
            var toFile = outputPath is not null and not "-";
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task<CliException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            message = document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
        }
        catch (JsonException)
        {
            // Not Fleet's error body (a proxy's page, say): the status line is all we can report.
        }

        message ??= $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? new CliException($"{message} (pass --token, set FLEET_TOKEN or put \"token\" in ~/.config/fleet/config.json)")
            : new CliException(message);
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
