namespace Fleet.Api.Contracts.Live;

/// <summary>
/// What is being measured now (GET /api/live, what <c>fleet watch</c> shows): boxes with their
/// sockets, and the machines on those sockets with their power summed over their sockets.
/// </summary>
/// <param name="Time">When the silo read it.</param>
/// <param name="MeanSeconds">How far back the <c>mean_watts</c> values reach.</param>
public sealed record LiveResponse(DateTimeOffset Time, int MeanSeconds, IReadOnlyList<LiveBoxResponse> Boxes, IReadOnlyList<LiveMachineResponse> Machines);
