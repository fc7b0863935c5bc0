using System.Globalization;
using Fleet.Api.Contracts.Time;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.Silo.Hosting;

namespace Fleet.Silo.Api;

/// <summary>Parses what users type into URLs and bodies, with errors that say what was expected.</summary>
internal static class ApiParsing
{
    public static DateTimeOffset Time(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ApiBadRequestException($"'{name}' is required (ISO 8601 UTC, e.g. 2026-11-25T10:00:00Z)");
        }

        return IsoTime.TryParse(text, out var value)
            ? value
            : throw new ApiBadRequestException($"'{name}' = '{text}' is not an ISO 8601 time (e.g. 2026-11-25T10:00:00Z)");
    }

    public static DateTimeOffset? OptionalTime(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null : Time(text, name);

    public static (DateTimeOffset From, DateTimeOffset To) Window(string? from, string? to)
    {
        var start = Time(from, "from");
        var end = Time(to, "to");
        return end <= start
            ? throw new ApiBadRequestException($"'from' ({start:O}) must be before 'to' ({end:O})")
            : (start, end);
    }

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
