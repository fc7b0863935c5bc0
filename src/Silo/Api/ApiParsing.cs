using System.Globalization;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Time;
using Fleet.Silo.Hosting;

namespace Fleet.Silo.Api;

/// <summary>Parses what users type into URLs and bodies, with errors that say what was expected.</summary>
internal static class ApiParsing
{
    /// <summary>Longest window energy and series are computed over (from the per-second rollups).</summary>
    public static readonly TimeSpan MaxRollupWindow = TimeSpan.FromDays(366);

    /// <summary>Longest window exported as raw frames: a day is 8.6 million frames, about 1 GB of CSV for 6 plugs.</summary>
    public static readonly TimeSpan MaxExportWindow = TimeSpan.FromDays(1);

    /// <summary>Longest window of a box's low-frequency history read at once (its 2 h steps go back years).</summary>
    public static readonly TimeSpan MaxLowFrequencyWindow = TimeSpan.FromDays(10 * 366);

    public static DateTimeOffset Time(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ApiBadRequestException($"'{name}' is required (ISO 8601 UTC, e.g. {IsoTime.Example})");
        }

        if (!IsoTime.TryParse(text, out var value))
        {
            throw new ApiBadRequestException($"'{name}' = '{text}' is not an ISO 8601 time (e.g. {IsoTime.Example})");
        }

        // Far inside .NET's and PostgreSQL's ranges, so no arithmetic on a window can overflow.
        return value >= IngestLimits.EarliestTime && value < IngestLimits.EndTime
            ? value
            : throw new ApiBadRequestException($"'{name}' = '{text}' is outside the times Fleet serves ({IsoTime.Format(IngestLimits.EarliestTime)} to {IsoTime.Format(IngestLimits.EndTime)})");
    }

    public static DateTimeOffset? OptionalTime(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null : Time(text, name);

    /// <summary>A window [from, to) of at most <paramref name="longest"/>; the limit is in the message when it is longer.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(string? from, string? to, TimeSpan longest)
    {
        var start = Time(from, "from");
        var end = Time(to, "to");
        if (end <= start)
        {
            throw new ApiBadRequestException($"'from' ({IsoTime.Format(start)}) must be before 'to' ({IsoTime.Format(end)})");
        }

        return end - start <= longest
            ? (start, end)
            : throw new ApiBadRequestException(string.Create(CultureInfo.InvariantCulture, $"the window is {Days(end - start)}; this endpoint serves at most {Days(longest)}: ask for a shorter window"));
    }

    private static string Days(TimeSpan span) => span.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.##} days")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.##} hours");

    public static string Id(string? text, string what) =>
        Naming.IsValidId(text) ? text! : throw new ApiBadRequestException(Naming.InvalidId(text, what));

    /// <summary>A machine's sockets: at least one, each once (the grain refuses both too, but as a conflict, not a bad request).</summary>
    public static List<SocketRef> Sockets(IReadOnlyList<string?>? texts)
    {
        if (texts is null || texts.Count == 0)
        {
            throw new ApiBadRequestException("a machine needs at least one socket (BOX:SOCKET)");
        }

        var sockets = texts.Select(Socket).ToList();
        var twice = sockets.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? sockets : throw new ApiBadRequestException($"socket {twice.Key} is listed twice");
    }

    public static SocketRef Socket(string? text)
    {
        if (text is null)
        {
            throw new ApiBadRequestException($"a socket is null: expected BOX:SOCKET, e.g. omegawatt-a:2 (sockets 1 to {FrameLayout.MaxPlugs})");
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var socket) || !FrameLayout.IsValidSocket(socket))
        {
            throw new ApiBadRequestException($"'{text}' is not a socket: expected BOX:SOCKET, e.g. omegawatt-a:2 (sockets 1 to {FrameLayout.MaxPlugs})");
        }

        return new SocketRef(Id(text[..colon], "box id"), socket);
    }
}
