namespace Fleet.Api.Contracts.Series;

/// <summary>Power over one step of a series; a step without frames has no point.</summary>
/// <param name="Time">Start of the step; for raw frames, the frame's time.</param>
/// <param name="MeanWatts">Σ P × 10 ms / (frames × 10 ms): the mean power of the frames present.</param>
/// <param name="MinWatts">Lowest frame power in the step.</param>
/// <param name="MaxWatts">Highest frame power in the step.</param>
/// <param name="Frames">Valid 10 ms frames in the step (for a machine: the fewest any of its sockets had).</param>
public sealed record SeriesPointResponse(DateTimeOffset Time, double MeanWatts, double MinWatts, double MaxWatts, long Frames);
