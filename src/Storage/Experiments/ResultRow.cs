namespace Fleet.Storage.Experiments;

/// <summary>One machine's energy over one phase of an experiment ("" = the whole experiment).</summary>
public sealed record ResultRow(
    string Machine,
    string Phase,
    DateTimeOffset From,
    DateTimeOffset To,
    double Joules,
    double MeanWatts,
    double PeakWatts,
    long Frames,
    long FramesExpected,
    long FramesInterpolated,
    double Coverage);
