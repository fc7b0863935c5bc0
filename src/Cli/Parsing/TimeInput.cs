using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.OmegaWatt.Time;

namespace Fleet.Cli.Parsing;

/// <summary>
/// The times people type, read into UTC. The API speaks ISO 8601 only (<see cref="IsoTime"/>);
/// these are the forms the command line accepts on top, all in UTC:
/// ISO 8601 and its lenient forms (<c>2026-11-25T10:00:00Z</c>, <c>2026-12-01 22:10</c>,
/// <c>2026-12-01 23:10+01:00</c>), a time today (<c>22:10</c>), Unix seconds as the vendor's
/// CSV writes them (<c>1795600800</c>, <c>1795600800.25</c>), relative to
/// now (<c>-10m</c>, <c>-2h</c>, <c>-1d</c>, <c>-1h30m</c>, <c>+5m</c>), <c>now</c>,
/// <c>today</c> and <c>yesterday</c> (midnight UTC, or with a time: <c>yesterday 22:10</c>).
/// </summary>
internal static partial class TimeInput
{
    /// <summary>What help texts say a TIME may be.</summary>
    public const string Forms = "ISO 8601 (no offset = UTC), 22:10 (today), Unix seconds, -10m/-2h/-1d, now, today, yesterday";

    private static readonly string[] TimeOfDayFormats = ["H:mm", "H:mm:ss", "H:mm:ss.FFFFFFF"];

    public static DateTimeOffset Parse(string text, string option) => Parse(text, option, DateTimeOffset.UtcNow);

    public static DateTimeOffset Parse(string text, string option, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.Trim(), now.ToUniversalTime(), out var time)
            ? time
            : throw new CliException($"{option} '{text}' is not a time: give {IsoTime.Example} (ISO 8601, no offset = UTC), 22:10 (today, UTC), "
                + "Unix seconds (1795600800), a time relative to now (-10m, -2h, -1d), now, today or yesterday");
    }

    private static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset time)
    {
        time = default;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            time = now;
            return true;
        }

        var day = DayWord().Match(text);
        if (day.Success)
        {
            var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(day.Groups["day"].Value.Equals("yesterday", StringComparison.OrdinalIgnoreCase) ? -1 : 0);
            if (!day.Groups["time"].Success)
            {
                time = midnight;
                return true;
            }

            if (TryTimeOfDay(day.Groups["time"].Value, out var clock))
            {
                time = midnight + clock;
                return true;
            }

            return false;
        }

        var relative = Relative().Match(text);
        if (relative.Success)
        {
            var span = TimeSpan.Zero;
            foreach (Capture part in relative.Groups["part"].Captures)
            {
                var unit = part.Value.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.');
                var amount = double.Parse(part.Value.AsSpan(0, part.Value.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture);
                span += unit switch
                {
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" or "min" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    "d" => TimeSpan.FromDays(amount),
                    _ => TimeSpan.FromDays(7 * amount),
                };
            }

            time = relative.Groups["sign"].Value == "-" ? now - span : now + span;
            return true;
        }

        var unix = UnixSeconds().Match(text);
        if (unix.Success)
        {
            // Ticks from the digits, not through a double: the vendor's nanoseconds stay exact to the tick.
            var fraction = unix.Groups["fraction"].Success ? unix.Groups["fraction"].Value.PadRight(7, '0') : "0";
            time = DateTimeOffset.UnixEpoch.AddSeconds(long.Parse(unix.Groups["seconds"].Value, CultureInfo.InvariantCulture))
                .AddTicks(long.Parse(fraction.AsSpan(0, Math.Min(7, fraction.Length)), CultureInfo.InvariantCulture));
            return true;
        }

        if (TryTimeOfDay(text, out var today))
        {
            time = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + today;
            return true;
        }

        return IsoTime.TryParse(text, out time);
    }

    private static bool TryTimeOfDay(string text, out TimeSpan time)
    {
        time = default;
        if (!TimeOnly.TryParseExact(text, TimeOfDayFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            return false;
        }

        time = clock.ToTimeSpan();
        return true;
    }

    [GeneratedRegex(@"^(?<day>today|yesterday)(?:[ T](?<time>\S+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayWord();

    [GeneratedRegex(@"^(?<sign>[+-])(?<part>\d+(?:\.\d+)?(?:s|min|m|h|d|w))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"^(?<seconds>\d{9,11})(?:\.(?<fraction>\d{1,9}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSeconds();
}
