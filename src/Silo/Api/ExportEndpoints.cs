using System.Data.Common;
using System.Globalization;
using Fleet.Api.Contracts.Errors;
using Fleet.OmegaWatt.Csv;
using Fleet.Silo.Hosting;
using Fleet.Storage.Boxes;
using Fleet.Storage.Export;
using Fleet.Storage.Samples;

namespace Fleet.Silo.Api;

internal static partial class ExportEndpoints
{
    /// <summary>Bytes gathered before one asynchronous write to the response: few writes, little memory.</summary>
    private const int WriteThresholdBytes = 64 * 1024;

    private const long NanosecondsPerMicrosecond = 1000;

    public static void MapExport(this RouteGroupBuilder api)
    {
        // GET /api/export?box=B&from=…&to=…
        api.MapGet("/export", async (string? box, string? from, string? to, BoxStore boxes, SampleReader samples, ILoggerFactory loggers, HttpContext context, CancellationToken cancellationToken) =>
        {
            var (start, end) = ApiParsing.Window(from, to, ApiParsing.MaxExportWindow);
            if (box is null)
            {
                throw new ApiBadRequestException("'box' is required: the box whose frames to export");
            }

            var boxId = ApiParsing.Id(box, "box id");
            var plugs = await boxes.GetPlugsAsync(boxId, cancellationToken).ConfigureAwait(false) ?? throw new ApiNotFoundException($"unknown box '{boxId}' (no frame received from it yet)");
            var logger = loggers.CreateLogger(typeof(ExportEndpoints).FullName!);
            var fileName = string.Create(CultureInfo.InvariantCulture, $"{boxId}_{start.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv");
            return Results.Stream(
                async body =>
                {
                    try
                    {
                        await WriteCsvAsync(body, samples.ReadAsync(boxId, start, end, cancellationToken), plugs, cancellationToken).ConfigureAwait(false);
                    }
                    catch (DbException error) when (context.Response.HasStarted)
                    {
                        // The status line is gone: the only honest signal left is a broken
                        // transfer, never a file that silently ends early. Before any byte was
                        // sent, the exception middleware still answers 503.
                        LogAborted(logger, boxId, error.Message);
                        context.Abort();
                    }
                },
                "text/csv; charset=utf-8",
                fileName);
        })
        .WithSummary("Every stored frame of a box in [from, to) as the vendor's CSV")
        .WithDescription(
            "Streams text/csv in wattmetre-read's format (#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,…): one row per stored frame in time order, "
            + "timestamps seconds.nanoseconds UTC, values at full float precision, frames without data (n = 0) as 'false' rows with empty fields. "
            + "Lost frames have no row. from/to are ISO 8601 UTC; windows of at most 1 day (400 beyond: export a longer period day by day).")
        .Produces(StatusCodes.Status200OK, contentType: "text/csv")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// Writes the chunks with <see cref="VendorCsvWriter"/> into a small buffer and copies it to
    /// the response asynchronously: Kestrel forbids the synchronous writes the CSV writer does.
    /// </summary>
    internal static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<FrameColumns> chunks, int plugs, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(2 * WriteThresholdBytes);
        using (var writer = new VendorCsvWriter(buffer, plugs))
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                for (var k = 0; k < chunk.Count; k++)
                {
                    writer.WriteRecord(Record(chunk, k));
                }

                writer.Flush();
                if (buffer.Length >= WriteThresholdBytes)
                {
                    await CopyAsync(buffer, body, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // Disposing the writer flushed its last rows (and, for an empty window, the header) into the buffer.
        await CopyAsync(buffer, body, cancellationToken).ConfigureAwait(false);
    }

    private static VendorCsvRecord Record(FrameColumns chunk, int k)
    {
        var time = chunk.TimesUnixMicroseconds[k] * NanosecondsPerMicrosecond;
        if (!chunk.Valid[k])
        {
            return new VendorCsvRecord(time, false, [], [], []);
        }

        var plugs = chunk.Plugs;
        return new VendorCsvRecord(
            time,
            true,
            new ArraySegment<float>(chunk.VoltagesVolts, 3 * k, 3),
            new ArraySegment<float>(chunk.CurrentsAmperes, plugs * k, plugs),
            new ArraySegment<float>(chunk.PowersWatts, plugs * k, plugs));
    }

    private static async Task CopyAsync(MemoryStream buffer, Stream body, CancellationToken cancellationToken)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        buffer.SetLength(0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CSV export of box {Box} aborted mid-stream on storage: {Reason}")]
    private static partial void LogAborted(ILogger logger, string box, string reason);
}
