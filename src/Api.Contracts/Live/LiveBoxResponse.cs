namespace Fleet.Api.Contracts.Live;

/// <summary>A box now: its health and its sockets (only the asked machine's, when one was asked).</summary>
/// <param name="LastFrameAgeSeconds">Seconds from the newest stored frame to <see cref="LiveResponse.Time"/>, null before any frame.</param>
public sealed record LiveBoxResponse(
    string Box,
    int Plugs,
    string? AgentHost,
    long FramesStored,
    double FramesPerSecond,
    long FramesMissingById,
    long FramesBadCheck,
    DateTimeOffset? LastFrameTime,
    double? LastFrameAgeSeconds,
    IReadOnlyList<LiveSocketResponse> Sockets);
