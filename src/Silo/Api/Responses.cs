using Fleet.Storage.Energy;
using Fleet.Storage.Series;

namespace Fleet.Silo.Api;

/// <summary>Energy over a window: exact joules of the frames present, and how complete they are.</summary>
public sealed record EnergyResponse(
    double Joules,
    double Coverage,
    long Frames,
    long FramesExpected,
    double? MeanWatts,
    double? PeakWatts,
    double InterpolatedJoules,
    DateTimeOffset From,
    DateTimeOffset To)
{
    public static EnergyResponse Create(SocketEnergy energy, DateTimeOffset from, DateTimeOffset to) => new(
        energy.Joules, energy.Coverage, energy.Frames, energy.FramesExpected, energy.MeanWatts, energy.PeakWatts, energy.InterpolatedJoules, from, to);
}

public sealed record AssignmentResponse(string Machine, string Box, int Socket, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);

/// <summary>
/// A power series: the step used (chosen when the request gave none) and one point per step
/// that has frames, in time order; steps without frames are absent, not zero.
/// </summary>
public sealed record SeriesResponse(DateTimeOffset From, DateTimeOffset To, double StepSeconds, IReadOnlyList<SeriesPoint> Points);

/// <summary>One silo of the cluster: its membership status and when it last said it was alive.</summary>
public sealed record SiloResponse(string Name, string Address, string HostName, string Status, DateTime StartedAt, DateTime LastAliveAt);
