namespace Fleet.OmegaWatt.Csv;

/// <summary>
/// One row of the vendor reader's CSV log. Timestamps keep the log's nanoseconds, which a
/// <see cref="DateTimeOffset"/> (100 ns ticks) would round.
/// </summary>
/// <param name="UnixTimeNanoseconds">UTC time of the row in nanoseconds since the Unix epoch.</param>
/// <param name="IsOk">False for frames without data; their value arrays are empty.</param>
/// <param name="VoltagesVolts">U1..U3.</param>
/// <param name="CurrentsAmperes">I1..In.</param>
/// <param name="PowersWatts">P1..Pn.</param>
public sealed record VendorCsvRecord(
    long UnixTimeNanoseconds,
    bool IsOk,
    IReadOnlyList<float> VoltagesVolts,
    IReadOnlyList<float> CurrentsAmperes,
    IReadOnlyList<float> PowersWatts)
{
    public DateTimeOffset Timestamp =>
        DateTimeOffset.UnixEpoch.AddTicks(UnixTimeNanoseconds / 100);
}
