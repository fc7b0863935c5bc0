namespace Fleet.Api.Contracts.Series;

/// <summary>
/// A power series (GET /api/series): the step used (chosen by the silo when the request gave
/// none or asked for the finest) and one point per step that has frames, in time order.
/// </summary>
/// <param name="StepSeconds">Seconds per point: 0.01 for raw 10 ms frames, otherwise whole seconds.</param>
public sealed record SeriesResponse(DateTimeOffset From, DateTimeOffset To, double StepSeconds, IReadOnlyList<SeriesPointResponse> Points);
