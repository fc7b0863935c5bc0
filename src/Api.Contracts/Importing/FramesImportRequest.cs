namespace Fleet.Api.Contracts.Importing;

/// <summary>
/// POST /api/boxes/{box}/frames: one batch of an imported log in the meter's column layout,
/// frame major (frame k's plug p at k × plugs + p). <c>FrameIds</c> are consecutive from 0 when
/// absent; <c>Lines</c> (optional) are the source file's line of each frame, for error messages.
/// </summary>
public sealed record FramesImportRequest(
    string? SourceId,
    long Sequence,
    int Plugs,
    long[]? TimesUnixMicroseconds,
    int[]? FrameIds,
    bool[]? Valid,
    float[]? VoltagesVolts,
    float[]? CurrentsAmperes,
    float[]? PowersWatts,
    long[]? Lines);
