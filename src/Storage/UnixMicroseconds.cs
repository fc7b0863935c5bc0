namespace Fleet.Storage;

/// <summary>
/// Frame times as storage keeps them: whole microseconds since the Unix epoch (what
/// <c>timestamptz</c> holds), converted from and to <see cref="DateTimeOffset"/> in one place.
/// </summary>
public static class UnixMicroseconds
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>The microsecond at or before <paramref name="time"/>.</summary>
    public static long Floor(DateTimeOffset time) => Math.DivRem(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TicksPerMicrosecond, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>The microsecond at or after <paramref name="time"/>: a frame is at or after a window edge exactly when its time is at or after this.</summary>
    public static long Ceiling(DateTimeOffset time)
    {
        var floor = Floor(time);
        return floor * TicksPerMicrosecond == time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks ? floor : floor + 1;
    }

    public static DateTimeOffset ToTime(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * TicksPerMicrosecond);
}
