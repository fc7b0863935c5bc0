namespace Fleet.Cli.Importing;

/// <summary><c>fleet import --json</c> of a vendor CSV log: what was read, skipped and stored.</summary>
internal sealed record VendorCsvImportReport(
    string Format,
    string File,
    string Box,
    string SourceId,
    int Plugs,
    string UtcOffset,
    long Frames,
    long FramesValid,
    long FramesWithoutData,
    long FramesStored,
    long BatchesStored,
    long BatchesAlreadyStored,
    long SkippedLines,
    IReadOnlyList<SkippedLine> Skipped,
    string? From,
    string? To);
