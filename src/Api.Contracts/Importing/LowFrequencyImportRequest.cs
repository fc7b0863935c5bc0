namespace Fleet.Api.Contracts.Importing;

/// <summary>
/// POST /api/boxes/{box}/low-frequency: rows of a box's low-frequency history, all of one step,
/// as column arrays (row k: socket, start of its step in Unix seconds, mean watts over the step).
/// </summary>
public sealed record LowFrequencyImportRequest(int? StepSeconds, int[]? Sockets, long[]? TimesUnixSeconds, double[]? MeanWatts);
