namespace Fleet.Api.Contracts.Importing;

/// <summary>What the meter did with the batch.</summary>
/// <param name="Outcome">stored (some or all frames were new) or duplicate (all were stored before: nothing written).</param>
/// <param name="Frames">Frames in the batch.</param>
/// <param name="FramesStored">Frames stored now.</param>
/// <param name="FramesAlreadyStored">Frames stored before with the same times and values (another file, or the same again), not stored twice.</param>
public sealed record FramesImportResponse(IngestOutcome Outcome, int Frames, int FramesStored, int FramesAlreadyStored);
