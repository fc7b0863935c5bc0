using System.Globalization;

namespace Fleet.OmegaWatt.Time;

/// <summary>
/// How Fleet writes and reads the times people see and type (URLs, messages, reports): ISO 8601
/// in UTC. One rule for every precision: as many fractional digits as the value needs, none for a
/// whole second and at most seven (one tick), so a time is never padded and never loses a digit
/// on its way from the CLI to the silo, and every program (agent, grains, silo, CLI) writes the
/// same. The HTTP contract's JSON converter reads and writes times with it too.
/// </summary>
public static class IsoTime
{
    /// <summary>A time as error messages show one to type.</summary>
    public const string Example = "2026-11-25T10:00:00Z";

    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>E.g. <c>2026-11-25T10:00:00Z</c>, <c>2026-11-25T10:00:00.25Z</c>.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static string FormatUnixSeconds(long unixSeconds) => Format(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    public static string FormatUnixMicroseconds(long unixMicroseconds) => Format(FromUnixMicroseconds(unixMicroseconds));

    public static DateTimeOffset FromUnixMicroseconds(long unixMicroseconds) => DateTimeOffset.UnixEpoch.AddTicks(unixMicroseconds * (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>
    /// Any ISO 8601 form (<c>2026-11-25T10:00:00Z</c>, <c>2026-11-25 11:00+01:00</c>, …); a time
    /// without an offset is UTC, never the reader's local time. The result is in UTC.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
