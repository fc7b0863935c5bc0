using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fleet.Api.Contracts.Machines;
using Fleet.Cli.Api;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet export</c>: stored frames as the vendor's CSV, streamed from the silo to a file or
/// stdout, for a box, or for the boxes that measured an experiment or a machine.
/// </summary>
internal static class ExportCommand
{
    private const int CopyBufferBytes = 64 * 1024;

    /// <summary>The longest window the silo exports in one request; longer ones are asked for day by day and joined.</summary>
    private static readonly TimeSpan ExportChunk = TimeSpan.FromDays(1);

    /// <summary>Progress is a status line, not a log: redrawn at most this often.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var id = new Argument<string?>("EXP-ID") { Description = "An experiment: the frames of the boxes its machines were on, over its run.", Arity = ArgumentArity.ZeroOrOne };
        var box = new Option<string?>("--box") { Description = "A box: all its frames in the window.", HelpName = "BOX" };
        var machine = new Option<string?>("--machine") { Description = "A machine: the frames of the box(es) it was on in the window.", HelpName = "NAME" };
        var from = GlobalOptions.From();
        var to = GlobalOptions.To();
        var output = GlobalOptions.Out("Write the CSV here (progress on stderr) instead of standard output; with several boxes, FILE-BOX.csv each.");
        var command = new Command("export", """
            Export stored frames as the vendor's CSV, for a box, an experiment or a machine.

            The format is wattmetre-read's (#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,…)
            at full float precision, timestamps seconds.nanoseconds UTC, frames without data as 'false'
            rows. Lost frames have no row. The CSV is per box (every socket of it): an experiment or a
            machine on two boxes gives one file per box (-o FILE.csv writes FILE-BOX.csv). It is
            streamed, a day at a time: any window fits.

            Examples:
              fleet export exp-20261125-100000-ab12cd -o run.csv
              fleet export --machine srv-1 --from -1h -o srv-1.csv
              fleet export --box omegawatt-a --from 2026-11-25T10:00:00Z --to 2026-11-25T11:00:00Z > log.csv
              fleet export --box omegawatt-a --from today -o today.csv
            """)
        {
            id, box, machine, from, to, output,
        };
        GlobalOptions.RefuseJson(command, "its output is the vendor's CSV");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("export", async () =>
        {
            var experiment = parse.GetValue(id);
            var boxId = parse.GetValue(box);
            var name = parse.GetValue(machine);
            if ((experiment is null ? 0 : 1) + (boxId is null ? 0 : 1) + (name is null ? 0 : 1) != 1)
            {
                throw new CliException("give an experiment EXP-ID, or --machine NAME, or --box BOX (with --from)");
            }

            using var client = GlobalOptions.Client(parse);
            IReadOnlyList<BoxWindow> parts;
            if (experiment is not null)
            {
                if (parse.GetValue(from) is not null || parse.GetValue(to) is not null)
                {
                    throw new CliException("an experiment is exported over its own run: drop --from/--to");
                }

                parts = await ExperimentBoxesAsync(client, experiment, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var start = parse.GetValue(from) ?? throw new CliException("--machine and --box need --from (and --to, default now)");
                var (begin, end) = GlobalOptions.ParseWindow(start, parse.GetValue(to));
                parts = name is not null
                    ? await MachineBoxesAsync(client, [name], begin, end, cancellationToken).ConfigureAwait(false)
                    : [new BoxWindow(boxId!, begin, end, [])];
            }

            if (parts.Count == 0)
            {
                throw new CliException($"{experiment ?? name} was on no socket in that window: nothing to export");
            }

            var path = parse.GetValue(output);
            var toFile = path is not null and not "-";
            if (parts.Count > 1 && !toFile)
            {
                throw new CliException($"{experiment ?? name} was measured by {parts.Count} boxes ({string.Join(", ", parts.Select(p => p.Box))}), one CSV each: give -o FILE.csv to write FILE-BOX.csv per box");
            }

            foreach (var part in parts)
            {
                var target = !toFile ? null : parts.Count == 1 ? path! : PerBox(path!, part.Box);
                if (experiment is not null || name is not null)
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"fleet export: box {part.Box} ({string.Join(", ", part.Sockets)}), {IsoTime.Format(part.From)} to {IsoTime.Format(part.To)}{(target is null ? string.Empty : $" → {target}")}")).ConfigureAwait(false);
                }

                await ExportAsync(client, part.Box, part.From, part.To, target, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The boxes an experiment's machines were on during its run (until now while it runs).</summary>
    private static async Task<IReadOnlyList<BoxWindow>> ExperimentBoxesAsync(FleetApiClient client, string id, CancellationToken cancellationToken)
    {
        var experiment = await client.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
        var start = experiment.StartedAt ?? throw new CliException($"experiment {experiment.Id} has not started: no frames to export yet");
        var end = experiment.FinishedAt ?? DateTimeOffset.UtcNow;
        return end <= start ? [] : await MachineBoxesAsync(client, experiment.Machines, start, end, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The silo's sockets for each machine in the window, as one window per box (from its first to its last socket's part).</summary>
    private static async Task<IReadOnlyList<BoxWindow>> MachineBoxesAsync(FleetApiClient client, IReadOnlyList<string> machines, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var sockets = new List<(string Machine, SocketWindowResponse Socket)>();
        foreach (var machine in machines)
        {
            foreach (var socket in await client.GetMachineSocketsAsync(machine, from, to, cancellationToken).ConfigureAwait(false))
            {
                sockets.Add((machine, socket));
            }
        }

        return [.. sockets.GroupBy(s => s.Socket.Box, StringComparer.Ordinal).Select(g => new BoxWindow(
            g.Key,
            g.Min(s => s.Socket.From),
            g.Max(s => s.Socket.To),
            [.. g.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Machine} on socket {s.Socket.Socket}")).Distinct()]))];
    }

    /// <summary>FILE.csv → FILE-BOX.csv.</summary>
    private static string PerBox(string path, string box) =>
        Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(path)}-{box}{Path.GetExtension(path)}");

    private static async Task ExportAsync(FleetApiClient client, string box, DateTimeOffset from, DateTimeOffset to, string? outputPath, CancellationToken cancellationToken)
    {
        var toFile = outputPath is not null;
        FileStream? file = null;
        var progress = new ExportProgress(toFile && !Console.IsErrorRedirected);
        try
        {
            var chunkStart = from;
            var first = true;
            while (chunkStart < to)
            {
                var chunkEnd = to - chunkStart > ExportChunk ? chunkStart + ExportChunk : to;

                // The file is created only once the silo accepted the request: a typo leaves no empty file behind.
                await using var body = await client.ExportAsync(box, chunkStart, chunkEnd, cancellationToken).ConfigureAwait(false);
                file ??= toFile ? OpenFile(outputPath!) : null;
                var destination = file ?? Console.OpenStandardOutput();
                try
                {
                    await CopyAsync(body, destination, progress, skipHeader: !first, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is HttpRequestException or HttpIOException || (error is IOException && !cancellationToken.IsCancellationRequested))
                {
                    // The silo aborts the transfer when storage fails mid-stream: say the output is cut, never leave it looking whole.
                    progress.Finish();
                    throw new CliException($"the export broke off after {progress.Rows} rows ({error.Message}){(toFile ? $": {outputPath} is incomplete" : string.Empty)}");
                }
                finally
                {
                    if (file is null)
                    {
                        await destination.DisposeAsync().ConfigureAwait(false);
                    }
                }

                first = false;
                chunkStart = chunkEnd;
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }

        progress.Finish();
        if (toFile)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fleet export: {progress.Rows} rows, {progress.Bytes} bytes written to {outputPath}")).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(Stream source, Stream destination, ExportProgress progress, bool skipHeader, CancellationToken cancellationToken)
    {
        var buffer = new byte[CopyBufferBytes];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            if (skipHeader)
            {
                // Every day's answer starts with the same header row: the joined CSV has it once.
                var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
                start = newline < 0 ? read : newline + 1;
                skipHeader = newline < 0;
            }

            await destination.WriteAsync(buffer.AsMemory(start, read - start), cancellationToken).ConfigureAwait(false);
            progress.Add(buffer.AsSpan(start, read - start));
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

    /// <summary>A box's window to export, and who was measured on it (for the message).</summary>
    private sealed record BoxWindow(string Box, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Sockets);

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
