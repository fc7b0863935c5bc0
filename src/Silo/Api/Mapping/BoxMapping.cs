using Fleet.Api.Contracts.Boxes;
using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Meter grain messages as the API serves them.</summary>
internal static class BoxMapping
{
    public static BoxResponse ToResponse(this MeterHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return new BoxResponse(
            health.BoxId,
            health.Plugs,
            health.FramesStored,
            health.FramesPerSecond,
            health.FramesMissingById,
            health.FramesBadCheck,
            health.LastFrameTime,
            health.AgentHost,
            [.. health.LastPowerWatts],
            health.BatchesQuarantined,
            health.BatchesRejected);
    }

    /// <summary>A socket with no valid frame in that second has the grain's NaN, which JSON cannot carry: null.</summary>
    public static LiveSecondResponse ToResponse(this LiveSecond second)
    {
        ArgumentNullException.ThrowIfNull(second);
        return new LiveSecondResponse(second.Second, second.Frames, [.. second.MeanPowerWatts.Select(w => float.IsFinite(w) ? (double?)w : null)]);
    }
}
