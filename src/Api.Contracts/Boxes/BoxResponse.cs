namespace Fleet.Api.Contracts.Boxes;

/// <summary>How a box is doing, as its meter sees it (GET /api/boxes, /api/boxes/{box}).</summary>
/// <param name="BoxId">The box's id, e.g. omegawatt-a.</param>
/// <param name="Plugs">Sockets on the box (6 to 48).</param>
/// <param name="FramesStored">Frames stored since the meter started on this silo.</param>
/// <param name="FramesPerSecond">Measured by the frames' own time over the last complete seconds (100 when nothing is lost).</param>
/// <param name="FramesMissingById">Frames missing by gaps in the frame ids.</param>
/// <param name="FramesBadCheck">Frames the agent dropped for a wrong check byte.</param>
/// <param name="LastFrameTime">Time of the newest stored frame, null before any.</param>
/// <param name="AgentHost">The host of the agent that feeds the box.</param>
/// <param name="LastPowerWatts">Per socket, the power of the newest valid frame.</param>
/// <param name="BatchesQuarantined">Batches the box's agent last reported holding in its spool's rejected/ directory.</param>
/// <param name="BatchesRejected">Batches the meter refused for good since it started on this silo.</param>
public sealed record BoxResponse(
    string BoxId,
    int Plugs,
    long FramesStored,
    double FramesPerSecond,
    long FramesMissingById,
    long FramesBadCheck,
    DateTimeOffset? LastFrameTime,
    string? AgentHost,
    IReadOnlyList<float> LastPowerWatts,
    long BatchesQuarantined,
    long BatchesRejected);
