using Fleet.Api.Contracts.Series;
using Fleet.Storage.Series;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Storage's series points as the API serves them.</summary>
internal static class SeriesMapping
{
    public static SeriesResponse ToResponse(this IReadOnlyList<SeriesPoint> points, DateTimeOffset from, DateTimeOffset to, double stepSeconds)
    {
        ArgumentNullException.ThrowIfNull(points);
        return new SeriesResponse(from, to, stepSeconds, [.. points.Select(p => new SeriesPointResponse(p.Time, p.MeanWatts, p.MinWatts, p.MaxWatts, p.Frames))]);
    }
}
