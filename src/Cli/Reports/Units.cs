using System.Globalization;

namespace Fleet.Cli.Reports;

/// <summary>Numbers as people read them: energy in J, Wh or kWh, durations in s, min, h or days, times in UTC without padding.</summary>
internal static class Units
{
    private const double JoulesPerWattHour = 3600;

    /// <summary>Joules up to an hour at a watt, then Wh, then kWh: 908.2 J, 12.35 Wh, 1.234 kWh.</summary>
    public static string Energy(double joules) => Math.Abs(joules) switch
    {
        < JoulesPerWattHour => string.Create(CultureInfo.InvariantCulture, $"{joules:F1} J"),
        < JoulesPerWattHour * 1000 => string.Create(CultureInfo.InvariantCulture, $"{joules / JoulesPerWattHour:F2} Wh"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{joules / JoulesPerWattHour / 1000:F3} kWh"),
    };

    public static string Watts(double? watts) =>
        watts is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:F1} W") : "n/a";

    /// <summary>0.25 s, 16.0 s, 2 min 5 s, 3 h 20 min, 6 days 10 h.</summary>
    public static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Abs(seconds));
        var sign = seconds < 0 ? "-" : string.Empty;
        return span.TotalSeconds switch
        {
            < 120 => string.Create(CultureInfo.InvariantCulture, $"{sign}{span.TotalSeconds:0.0} s"),
            < 7200 => string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)span.TotalMinutes} min {span.Seconds} s"),
            < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)span.TotalHours} h {span.Minutes} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)span.TotalDays} days {span.Hours} h"),
        };
    }

    /// <summary>A UTC time with the date and as many fractional digits as it has: 2026-11-25 10:00:00, 2026-11-25 10:00:09.99.</summary>
    public static string Clock(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
