namespace Fleet.Api.Contracts.Boxes;

/// <summary>
/// One second of a box from its meter's memory (GET /api/boxes/{box}/live): frames received and
/// the mean power per socket, null for a socket without a valid frame in that second.
/// </summary>
public sealed record LiveSecondResponse(DateTimeOffset Second, int Frames, IReadOnlyList<double?> MeanPowerWatts);
