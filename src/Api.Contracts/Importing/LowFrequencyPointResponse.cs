namespace Fleet.Api.Contracts.Importing;

/// <summary>One step of a low-frequency history: its start and the box's mean power over it.</summary>
public sealed record LowFrequencyPointResponse(DateTimeOffset At, double MeanWatts);
