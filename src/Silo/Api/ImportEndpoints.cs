using System.Globalization;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Importing;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Meters;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Silo.Security;
using Fleet.Storage.LowFrequency;

namespace Fleet.Silo.Api;

/// <summary>
/// Imports of logs people already have (<c>fleet import</c>): vendor CSV frames go through the
/// box's meter grain like an agent's batches (plug count, exactly-once, metrics); the box's
/// low-frequency history goes to its own table and is read back as such.
/// </summary>
internal static class ImportEndpoints
{
    /// <summary>Low-frequency rows per request.</summary>
    public const int MaxLowFrequencyRows = 50_000;

    /// <summary>Points one low-frequency read returns (a year of 10-minute steps).</summary>
    public const int MaxLowFrequencyPoints = 60_000;

    public static void MapImport(this RouteGroupBuilder api)
    {
        // POST /api/boxes/{box}/frames
        api.MapPost("/boxes/{box}/frames", async (string box, FramesImportRequest request, IGrainFactory grains, ImportSigner signer) =>
        {
            var boxId = ApiParsing.Id(box, "box id");
            // The API's roles let the caller import; the meter takes it as this silo's write.
            var batch = signer.Sign(boxId, ToBatch(boxId, request));
            try
            {
                // The meter decides in one turn whether these frames are new, already stored, or
                // in conflict with frames another source stored in the same period.
                return (await grains.GetGrain<IMeterGrain>(boxId).IngestAsync(batch).ConfigureAwait(false)).ToResponse(batch.Count);
            }
            catch (RequestRejectedException error) when (batch.Count > 0)
            {
                throw new RequestRejectedException($"{error.Message} ({Lines(request, 0, batch.Count - 1)}); was this period imported from another file, with another --utc-offset, or recorded by an agent?");
            }
            catch (InvalidBatchException error)
            {
                throw new ApiBadRequestException(error.Message);
            }
        })
        .WithSummary("Stores a batch of imported frames of a box (exactly once per source_id and sequence)")
        .WithDescription(
            "Column arrays, frame major (frame k's plug p at k * plugs + p): times_unix_microseconds (strictly increasing, UTC), frame_ids (optional; consecutive from 0 when absent), "
            + "valid, voltages_volts (3 per frame), currents_amperes and powers_watts (plugs per frame), and optionally lines (the source file's line of each frame, for error messages). "
            + "Values of frames that are not valid are ignored and stored as NaN, as the agent stores frames without data. Batches of a source must be sent in increasing sequence order: "
            + "a sequence at or below the last stored one, or frames all stored before with the same times and values, answer {\"outcome\":\"duplicate\"} and store nothing. "
            + $"400: times not increasing, wrong array lengths, a non-finite value in a valid frame, more than {IngestLimits.MaxFramesPerBatch} frames or more than {IngestLimits.MaxFramesPerSecond} in one second; "
            + "409: another plug count than the box's, or other frames already stored in the batch's time span.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status409Conflict)
        .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
        .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
        .WithBodyLimit(RequestLimits.FramesImportBodyBytes)
        .RequireRateLimiting(RequestLimits.ImportPolicy);

        // POST /api/boxes/{box}/low-frequency
        api.MapPost("/boxes/{box}/low-frequency", async (string box, LowFrequencyImportRequest request, LowFrequencyStore store, CancellationToken cancellationToken) =>
        {
            var boxId = ApiParsing.Id(box, "box id");
            var points = ToPoints(request);
            var result = await store.UpsertAsync(boxId, points, cancellationToken).ConfigureAwait(false);
            return result.ToResponse(points.Count);
        })
        .WithSummary("Stores rows of a box's low-frequency history (idempotent upsert)")
        .WithDescription(
            "step_seconds, then column arrays: sockets (1 to 48), times_unix_seconds (start of each step, UTC) and mean_watts. "
            + "A row is keyed by box, socket, time and step: sending it again changes nothing (unchanged), a new mean replaces the old one (updated). "
            + "Low-frequency rows are never mixed into /api/energy or /api/series, which read the 10 ms frames only.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
        .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
        .WithBodyLimit(RequestLimits.LowFrequencyImportBodyBytes)
        .RequireRateLimiting(RequestLimits.ImportPolicy);

        // GET /api/boxes/{box}/low-frequency?socket=S&from=…&to=…[&step=SECONDS]
        api.MapGet("/boxes/{box}/low-frequency", async (string box, int? socket, string? from, string? to, int? step, LowFrequencyStore store, CancellationToken cancellationToken) =>
        {
            var boxId = ApiParsing.Id(box, "box id");
            var (start, end) = ApiParsing.Window(from, to, ApiParsing.MaxLowFrequencyWindow);
            if (socket is not int number || !FrameLayout.IsValidSocket(number))
            {
                throw new ApiBadRequestException($"socket must be 1 to {FrameLayout.MaxPlugs}");
            }

            if (!await store.HasBoxAsync(boxId, cancellationToken).ConfigureAwait(false))
            {
                throw new ApiNotFoundException($"box '{boxId}' has no low-frequency history (import one with fleet import --format box-tsv)");
            }

            var steps = await store.GetStepsAsync(boxId, number, start, end, cancellationToken).ConfigureAwait(false);
            int chosen;
            if (step is int asked)
            {
                chosen = asked > 0 ? asked : throw new ApiBadRequestException($"step={asked}: give the step of the history to read, in whole seconds");
            }
            else if (steps.Count > 1)
            {
                // Two histories of the same period (e.g. 1 min and 10 min) would count the energy twice.
                throw new ApiBadRequestException(
                    $"socket {number} of box {boxId} has low-frequency rows of steps {string.Join(", ", steps.Select(s => s.ToString(CultureInfo.InvariantCulture) + " s"))} in this window: choose one with step=SECONDS");
            }
            else
            {
                chosen = steps.Count == 1 ? steps[0] : 0;
            }

            var window = chosen == 0
                ? new LowFrequencyWindow(0, [], 0, 0)
                : await store.ReadAsync(boxId, number, chosen, start, end, cancellationToken).ConfigureAwait(false);
            if (window.Points.Count > MaxLowFrequencyPoints)
            {
                throw new ApiBadRequestException($"{window.Points.Count} points in this window (at most {MaxLowFrequencyPoints}): ask for a shorter window");
            }

            return window.ToResponse(boxId, number, start, end, steps);
        })
        .WithSummary("A socket's imported low-frequency history over [from, to), with its energy; never mixed with the 10 ms frames")
        .WithDescription(
            "resolution is always \"low_frequency\". points are the box's own steps (start time UTC, mean watts) overlapping the window; joules = Σ mean_watts × (seconds of the step inside the window); "
            + "covered_seconds is how much of the window the steps cover, coverage its share. When the window holds rows of several steps, give step=SECONDS (otherwise 400). 404: the box has no low-frequency history.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>Checks the body as an agent's batch would be checked, naming the source lines when given.</summary>
    /// <summary>
    /// Turns the body into the batch an agent would send, and checks it by the meter's own
    /// rules (<see cref="BatchRules"/>) with the file's line numbers in the messages; the meter
    /// checks it again, with the box's plug count, in its turn.
    /// </summary>
    internal static FrameBatch ToBatch(string boxId, FramesImportRequest request)
    {
        var times = request.TimesUnixMicroseconds ?? throw new ApiBadRequestException("'times_unix_microseconds' is required");
        var count = times.Length;
        var plugs = request.Plugs;
        var valid = request.Valid ?? throw new ApiBadRequestException("'valid' is required");
        var volts = request.VoltagesVolts ?? throw new ApiBadRequestException("'voltages_volts' is required");
        var currents = request.CurrentsAmperes ?? throw new ApiBadRequestException("'currents_amperes' is required");
        var powers = request.PowersWatts ?? throw new ApiBadRequestException("'powers_watts' is required");
        var frameIds = request.FrameIds ?? [.. Enumerable.Range(0, count).Select(k => k & 0xFFFF)];
        if (!FrameLayout.IsValidPlugCount(plugs))
        {
            throw new ApiBadRequestException($"'plugs' = {plugs}: a box has {FrameLayout.PlugsPerModule} to {FrameLayout.MaxPlugs} plugs, a multiple of {FrameLayout.PlugsPerModule}");
        }

        if (valid.Length != count || frameIds.Length != count || volts.Length != 3 * count || currents.Length != plugs * count || powers.Length != plugs * count
            || (request.Lines is { } lines && lines.Length != count))
        {
            throw new ApiBadRequestException(
                $"a batch of {count} frames of {plugs} plugs needs {count} valid flags, frame ids and lines, {3 * count} voltages and {plugs * count} currents and powers");
        }

        // The agent's convention for frames without data: NaN values, which the export prints empty.
        var storedVolts = (float[])volts.Clone();
        var storedCurrents = (float[])currents.Clone();
        var storedPowers = (float[])powers.Clone();
        for (var k = 0; k < count; k++)
        {
            if (!valid[k])
            {
                Array.Fill(storedVolts, float.NaN, 3 * k, 3);
                Array.Fill(storedCurrents, float.NaN, plugs * k, plugs);
                Array.Fill(storedPowers, float.NaN, plugs * k, plugs);
            }
        }

        var writer = IngestLimits.ImportWriterPrefix + request.SourceId;
        var batch = new FrameBatch(request.SourceId ?? string.Empty, request.Sequence, plugs, times, frameIds, valid, storedVolts, storedCurrents, storedPowers, 0, 0, writer, writer);
        try
        {
            BatchRules.Validate(boxId, 0, batch, (first, last) => Lines(request, first, last));
        }
        catch (InvalidBatchException error)
        {
            throw new ApiBadRequestException(error.Message);
        }

        return batch;
    }

    internal static List<LowFrequencyPoint> ToPoints(LowFrequencyImportRequest request)
    {
        if (request.StepSeconds is not int step || step < 1)
        {
            throw new ApiBadRequestException("'step_seconds' is required: the length of the box's averaging step in whole seconds (1 or more)");
        }

        var sockets = request.Sockets ?? throw new ApiBadRequestException("'sockets' is required");
        var times = request.TimesUnixSeconds ?? throw new ApiBadRequestException("'times_unix_seconds' is required");
        var means = request.MeanWatts ?? throw new ApiBadRequestException("'mean_watts' is required");
        if (times.Length != sockets.Length || means.Length != sockets.Length)
        {
            throw new ApiBadRequestException($"sockets, times_unix_seconds and mean_watts must have the same length ({sockets.Length}, {times.Length}, {means.Length})");
        }

        if (sockets.Length > MaxLowFrequencyRows)
        {
            throw new ApiBadRequestException($"{sockets.Length} rows in one request; send at most {MaxLowFrequencyRows}");
        }

        var points = new List<LowFrequencyPoint>(sockets.Length);
        var seen = new HashSet<(int, long)>();
        for (var k = 0; k < sockets.Length; k++)
        {
            if (sockets[k] is < 1 or > FrameLayout.MaxPlugs)
            {
                throw new ApiBadRequestException($"row {k + 1}: socket {sockets[k]} is not 1 to {FrameLayout.MaxPlugs}");
            }

            if (!double.IsFinite(means[k]) || Math.Abs(means[k]) > 1e9)
            {
                throw new ApiBadRequestException($"row {k + 1}: mean_watts is not a finite power");
            }

            if (times[k] < -62_135_596_800L || times[k] > 253_402_300_799L)
            {
                throw new ApiBadRequestException($"row {k + 1}: times_unix_seconds {times[k]} is out of range");
            }

            // Twice the same row in one statement would make the upsert fail; say which instead.
            if (!seen.Add((sockets[k], times[k])))
            {
                throw new ApiBadRequestException($"row {k + 1}: socket {sockets[k]} at {Iso(DateTimeOffset.FromUnixTimeSeconds(times[k]))} appears twice");
            }

            points.Add(new LowFrequencyPoint(sockets[k], DateTimeOffset.FromUnixTimeSeconds(times[k]), step, means[k]));
        }

        return points;
    }

    private static string Lines(FramesImportRequest request, int first, int last) =>
        (request.Lines, first == last) switch
        {
            ({ } lines, true) => string.Create(CultureInfo.InvariantCulture, $"line {lines[first]}"),
            ({ } lines, false) => string.Create(CultureInfo.InvariantCulture, $"lines {lines[first]}-{lines[last]}"),
            (null, true) => string.Create(CultureInfo.InvariantCulture, $"frame {first + 1} of the batch"),
            (null, false) => string.Create(CultureInfo.InvariantCulture, $"frames {first + 1}-{last + 1} of the batch"),
        };

    private static string Iso(DateTimeOffset time) => IsoTime.Format(time);
}
