namespace Fleet.Api.Contracts.Live;

/// <summary>A socket now: the machine on it, the power of the newest frame and the frame-weighted mean over the last seconds.</summary>
/// <param name="Machine">The machine assigned to the socket now, null when none.</param>
/// <param name="PowerWatts">Power of the newest valid frame, null before any.</param>
/// <param name="MeanWatts">Mean over the live seconds, each weighted by its frames; null without frames.</param>
public sealed record LiveSocketResponse(int Socket, string? Machine, double? PowerWatts, double? MeanWatts);
