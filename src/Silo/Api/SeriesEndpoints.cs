using System.Globalization;
using Fleet.Api.Contracts.Errors;
using Fleet.Api.Contracts.Series;
using Fleet.OmegaWatt.Protocol;
using Fleet.Silo.Api.Mapping;
using Fleet.Silo.Hosting;
using Fleet.Storage.Assignments;
using Fleet.Storage.Boxes;
using Fleet.Storage.Series;

namespace Fleet.Silo.Api;

internal static class SeriesEndpoints
{
    /// <summary>A plot has a few thousand pixels across: more points only cost bandwidth.</summary>
    public const int DefaultMaxPoints = 2000;

    /// <summary>An explicit step may ask for more points than the default, but not for a response of gigabytes.</summary>
    public const long MaxPoints = 100_000;

    /// <summary>Raw frames are 360,000 a socket-hour: longer windows must use rollups.</summary>
    public static readonly TimeSpan MaxRawWindow = TimeSpan.FromHours(1);

    /// <summary>The frame period: the one step below a second that is served, from the raw frames.</summary>
    public const decimal RawStepSeconds = FrameLayout.FramePeriodMicroseconds / 1_000_000m;

    /// <summary>step=finest: raw frames when the window allows them, else the smallest whole-second step within <see cref="MaxPoints"/>.</summary>
    public const string FinestStep = "finest";

    /// <summary>Steps a person reads easily; beyond a day, whole days.</summary>
    private static readonly long[] NiceStepsSeconds = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

    public static void MapSeries(this RouteGroupBuilder api)
    {
        // GET /api/series?box=B&socket=S&from=…&to=…[&step=SECONDS]  or  ?machine=M&from=…&to=…[&step=…]
        api.MapGet("/series", async (string? machine, string? box, int? socket, string? from, string? to, string? step, SeriesQueries series, AssignmentStore assignments, BoxStore boxes, CancellationToken cancellationToken) =>
        {
            var (start, end) = ApiParsing.Window(from, to, ApiParsing.MaxRollupWindow);
            if (machine is not null == box is not null)
            {
                throw new ApiBadRequestException("give either machine=NAME or box=BOX&socket=N");
            }

            var stepSeconds = Step(step, start, end);
            if (machine is not null)
            {
                var name = ApiParsing.Id(machine, "machine name");
                if ((await assignments.ListAsync(name, null, cancellationToken).ConfigureAwait(false)).Count == 0)
                {
                    throw new ApiNotFoundException($"unknown machine '{name}': assign it to a socket first");
                }

                var points = stepSeconds is null
                    ? await series.GetMachineFramesAsync(name, start, end, cancellationToken).ConfigureAwait(false)
                    : await series.GetMachineSeriesAsync(name, start, end, stepSeconds.Value, cancellationToken).ConfigureAwait(false);
                return points.ToResponse(start, end, StepValue(stepSeconds));
            }

            var boxId = ApiParsing.Id(box, "box id");
            var plugs = await boxes.GetPlugsAsync(boxId, cancellationToken).ConfigureAwait(false) ?? throw new ApiNotFoundException($"unknown box '{boxId}' (no frame received from it yet)");
            if (socket is not int number || number < 1 || number > plugs)
            {
                throw new ApiBadRequestException($"socket must be 1 to {plugs} for box {boxId}");
            }

            var socketPoints = stepSeconds is null
                ? await series.GetSocketFramesAsync(boxId, number, start, end, cancellationToken).ConfigureAwait(false)
                : await series.GetSocketSeriesAsync(boxId, number, start, end, stepSeconds.Value, cancellationToken).ConfigureAwait(false);
            return socketPoints.ToResponse(start, end, StepValue(stepSeconds));
        })
        .WithSummary("Power series of a socket or a machine: mean, min and max watts and frame count per step")
        .WithDescription(
            "Give box=BOX&socket=N, or machine=NAME (its sockets summed, following its assignment history), and from/to (ISO 8601 UTC). "
            + "step is a whole number of seconds (from the per-second rollups; steps start at the whole second at or before 'from' and cover the seconds that overlap the window) "
            + "or 0.01 for the raw 10 ms frames (windows of at most 1 hour); other windows of at most 366 days. Without step, the smallest of 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h or whole days "
            + $"that gives at most {DefaultMaxPoints} points. step=finest: the raw frames for windows of at most 1 hour, otherwise the smallest whole-second step that gives at most {MaxPoints} points "
            + "(step_seconds in the answer says which). "
            + $"mean_watts = Σ P × 10 ms / (frames × 10 ms). Steps with no frames are absent from points (not zero). "
            + "For a machine on several sockets, mean_watts is the sum of its sockets' means, min_watts/max_watts the sums of their minimums/maximums, frames the fewest frames any socket had.")
        .Produces<ApiError>(StatusCodes.Status400BadRequest)
        .Produces<ApiError>(StatusCodes.Status404NotFound);
    }

    /// <summary>Whole seconds per step, or null for raw frames; the default keeps the series at most <see cref="DefaultMaxPoints"/> points.</summary>
    internal static long? Step(string? text, DateTimeOffset from, DateTimeOffset to)
    {
        // Steps of whole seconds cover [the second at or before 'from', 'to').
        var spanSeconds = (to - SeriesQueries.StepOrigin(from)).TotalSeconds;
        if (string.IsNullOrWhiteSpace(text))
        {
            foreach (var nice in NiceStepsSeconds)
            {
                if (Math.Ceiling(spanSeconds / nice) <= DefaultMaxPoints)
                {
                    return nice;
                }
            }

            const long day = 86400;
            return day * (long)Math.Ceiling(spanSeconds / day / DefaultMaxPoints);
        }

        if (text == FinestStep)
        {
            return to - from <= MaxRawWindow ? null : Math.Max(1, (long)Math.Ceiling(spanSeconds / MaxPoints));
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || (value != RawStepSeconds && (value < 1 || value > int.MaxValue || decimal.Truncate(value) != value)))
        {
            throw new ApiBadRequestException($"step '{text}' is not a step: give 0.01 (raw 10 ms frames), a whole number of seconds from 1 to {int.MaxValue}, or {FinestStep}");
        }

        if (value == RawStepSeconds)
        {
            return to - from <= MaxRawWindow
                ? null
                : throw new ApiBadRequestException($"step=0.01 (raw frames) is served for windows of at most 1 hour; this one is {to - from:c}: use a step of 1 s or more");
        }

        var seconds = (long)value;
        return Math.Ceiling(spanSeconds / seconds) <= MaxPoints
            ? seconds
            : throw new ApiBadRequestException($"step={seconds} gives more than {MaxPoints} points over this window: use a larger step (or none, for at most {DefaultMaxPoints} points)");
    }

    private static double StepValue(long? stepSeconds) => stepSeconds is long seconds ? seconds : (double)RawStepSeconds;
}
