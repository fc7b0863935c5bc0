namespace Fleet.Storage.LowFrequency;

/// <summary>One row of a box's low-frequency history: the mean power of a socket over one step.</summary>
/// <param name="Socket">Socket number on the box (1-based).</param>
/// <param name="At">Start of the step (UTC).</param>
/// <param name="StepSeconds">Length of the step the box averaged over.</param>
/// <param name="MeanWatts">Mean active power over the step.</param>
public sealed record LowFrequencyPoint(int Socket, DateTimeOffset At, int StepSeconds, double MeanWatts);
