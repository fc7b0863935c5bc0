using System.Globalization;

namespace Fleet.Cli.Importing;

/// <summary>Signed clock offsets as users type them: <c>+01:00</c>, <c>-05:30</c>, <c>+00:00:42.5</c>, <c>UTC</c>, <c>Z</c>.</summary>
internal static class UtcOffset
{
    private static readonly string[] Formats = [@"hh\:mm", @"hh\:mm\:ss", @"hh\:mm\:ss\.FFFFFF"];

    /// <summary>Parses an offset; <paramref name="allowSeconds"/> false keeps it to whole minutes (a time zone).</summary>
    public static TimeSpan Parse(string text, string option, bool allowSeconds)
    {
        var trimmed = text.Trim();
        if (trimmed is "Z" or "z" || trimmed.Equals("UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeSpan.Zero;
        }

        var example = allowSeconds ? "+01:00, -00:00:30 or +00:00" : "+01:00, -05:00 or UTC";
        if (trimmed.Length < 6 || (trimmed[0] != '+' && trimmed[0] != '-')
            || !TimeSpan.TryParseExact(trimmed[1..], allowSeconds ? Formats : Formats[..1], CultureInfo.InvariantCulture, out var magnitude)
            || magnitude > TimeSpan.FromHours(24))
        {
            throw new CliException($"{option} '{text}' is not an offset: give a sign, hours and minutes, e.g. {example}");
        }

        return trimmed[0] == '-' ? -magnitude : magnitude;
    }

    public static string Format(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(offset.Duration().Ticks % TimeSpan.TicksPerMinute == 0 ? @"hh\:mm" : @"hh\:mm\:ss\.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
}
