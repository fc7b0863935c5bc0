namespace Fleet.Api.Contracts.Importing;

/// <summary>What the meter did with the batch, and how many frames it held.</summary>
public sealed record FramesImportResponse(IngestOutcome Outcome, int Frames);
