using System.ComponentModel;

namespace Fleet.Api.Contracts.Energy;

/// <summary>One socket's share of an energy window: the part of the window it measured, and the same figures as the whole.</summary>
public sealed record SocketEnergyResponse(
    string Box,
    int Socket,
    [property: Description("Start of the part of the window this socket measured.")] DateTimeOffset From,
    [property: Description("End of the part of the window this socket measured.")] DateTimeOffset To,
    double Joules,
    long Frames,
    long FramesExpected,
    [property: Description("Frames present over frames expected in this socket's part of the window.")] double Coverage,
    [property: Description("Mean power over the time this socket's frames cover; null without frames (a silent box).")] double? MeanWatts,
    DateTimeOffset? CoveredFrom,
    DateTimeOffset? CoveredTo);
