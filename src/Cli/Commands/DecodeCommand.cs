using System.CommandLine;
using Fleet.Cli.Decoding;
using Fleet.Cli.Parsing;
using Fleet.OmegaWatt.Csv;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Streaming;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet decode</c>: raw serial capture → vendor CSV (or one row per frame with --raw).</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var capture = new Argument<string>("CAPTURE")
        {
            Description = "Raw bytes read from the box's serial port (a capture file), or - for standard input.",
        };
        var raw = new Option<bool>("--raw")
        {
            Description = "Write frame_id,frame_is_ok,U1..U3,I1..In,P1..Pn (one row per frame, no timestamps) instead of the vendor CSV.",
        };
        var start = new Option<string?>("--start")
        {
            Description = $"UTC time of the first frame: {TimeInput.Forms}. Default: the file's modification time (now for stdin).",
            HelpName = "TIME",
        };
        var output = GlobalOptions.Out("Write the CSV here instead of standard output.");

        var command = new Command("decode", """
            Decode a raw OmegaWatt capture into CSV.

            The default output is the vendor's wattmetre-read format (#timestamp,#frame_is_ok,#U1,…,
            #current1,#activepow1,…) with full float precision; timestamps are seconds.nanoseconds,
            10 ms per frame-id step from --start, so lost frames keep their real time.
            A JSON summary of the decoder's counts is printed on stderr.

            Examples:
              fleet decode capture.bin > log.csv
              fleet decode capture.bin --start 2026-11-25T10:00:00Z -o log.csv
              fleet decode capture.bin --start 1795600800 -o log.csv
              fleet decode --raw capture.bin
              cat /dev/ttyUSB0 | fleet decode -     (after stty -F /dev/ttyUSB0 921600 raw)
            """)
        {
            capture,
            raw,
            start,
            output,
        };
        GlobalOptions.RefuseJson(command, "its output is CSV, and its counts are already a JSON line on stderr");

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync("decode", () => RunAsync(
            parse.GetValue(capture)!,
            parse.GetValue(raw),
            parse.GetValue(start),
            parse.GetValue(output),
            cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string capturePath, bool raw, string? startText, string? outputPath, CancellationToken cancellationToken)
    {
        var fromStdin = capturePath == "-";
        if (!fromStdin && Directory.Exists(capturePath))
        {
            throw new CliException($"{capturePath} is a directory, not a capture file");
        }

        if (!fromStdin && !File.Exists(capturePath))
        {
            throw new CliException($"no such file: {capturePath}");
        }

        var startTime = startText is null
            ? (fromStdin ? DateTimeOffset.UtcNow : new DateTimeOffset(File.GetLastWriteTimeUtc(capturePath), TimeSpan.Zero))
            : TimeInput.Parse(startText, "--start");

        await using var input = fromStdin
            ? Console.OpenStandardInput()
            : new FileStream(capturePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

        var decoder = new FrameDecoder();
        DecodeSummary summary;
        using (var handler = new CsvFrameHandler(() => OpenOutput(outputPath), raw, startTime))
        {
            try
            {
                summary = await FramePipeReader.ReadAllAsync(input, decoder, handler, cancellationToken).ConfigureAwait(false);
            }
            catch (PlugCountChangedException error)
            {
                throw new CliException(error.Message);
            }
        }

        await Console.Error.WriteLineAsync(DecodeReport.From(summary).ToJson()).ConfigureAwait(false);
        if (summary.Counters.FramesAccepted == 0)
        {
            var total = summary.Counters.BytesSkipped + summary.TruncatedTailBytes;
            throw new CliException($"no OmegaWatt frame found in {total} bytes (is this a raw capture of the serial port, read at 921600 baud?)");
        }

        return 0;
    }

    private static Stream OpenOutput(string? outputPath)
    {
        if (outputPath is null or "-")
        {
            return Console.OpenStandardOutput();
        }

        try
        {
            return new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {outputPath}: {error.Message}");
        }
    }
}
