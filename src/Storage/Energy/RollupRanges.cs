namespace Fleet.Storage.Energy;

/// <summary>
/// The whole seconds of a window, [InnerFrom, InnerTo), split over the rollup levels: whole
/// hours in the middle, then whole minutes, then seconds toward each edge. Every second of the
/// window is in exactly one range, and a window of any length reads at most 59 + 59 seconds,
/// 59 + 59 minutes and its whole hours.
/// </summary>
internal readonly record struct RollupRanges(
    DateTimeOffset InnerFrom,
    DateTimeOffset InnerTo,
    (DateTimeOffset From, DateTimeOffset To) Hours,
    (DateTimeOffset From, DateTimeOffset To) MinutesBefore,
    (DateTimeOffset From, DateTimeOffset To) MinutesAfter,
    (DateTimeOffset From, DateTimeOffset To) SecondsBefore,
    (DateTimeOffset From, DateTimeOffset To) SecondsAfter)
{
    private static readonly long Second = TimeSpan.TicksPerSecond;
    private static readonly long Minute = TimeSpan.TicksPerMinute;
    private static readonly long Hour = TimeSpan.TicksPerHour;

    /// <summary>The ranges of the whole seconds inside [from, to).</summary>
    public static RollupRanges Of(DateTimeOffset from, DateTimeOffset to)
    {
        var innerFrom = Ceiling(from, Second);
        var innerTo = Max(innerFrom, Floor(to, Second));
        var empty = (innerFrom, innerFrom);
        var minutesFrom = Ceiling(innerFrom, Minute);
        var minutesTo = Floor(innerTo, Minute);
        if (minutesFrom >= minutesTo)
        {
            return new(innerFrom, innerTo, empty, empty, empty, (innerFrom, innerTo), empty);
        }

        var hoursFrom = Ceiling(innerFrom, Hour);
        var hoursTo = Floor(innerTo, Hour);
        var (hours, minutesBefore, minutesAfter) = hoursFrom >= hoursTo
            ? ((minutesFrom, minutesFrom), (minutesFrom, minutesTo), (minutesTo, minutesTo))
            : ((hoursFrom, hoursTo), (minutesFrom, hoursFrom), (hoursTo, minutesTo));
        return new(innerFrom, innerTo, hours, minutesBefore, minutesAfter, (innerFrom, minutesFrom), (minutesTo, innerTo));
    }

    /// <summary>The whole second at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset CeilingSecond(DateTimeOffset time) => Ceiling(time, Second);

    private static DateTimeOffset Floor(DateTimeOffset time, long unit)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % unit), TimeSpan.Zero);
    }

    private static DateTimeOffset Ceiling(DateTimeOffset time, long unit)
    {
        var floor = Floor(time, unit);
        return floor == time ? floor : floor.AddTicks(unit);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
