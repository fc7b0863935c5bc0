namespace Fleet.Api.Contracts.Live;

/// <summary>
/// A machine now: the sockets it is on (BOX:SOCKET) and its power, the sum over those sockets
/// (both power supplies); null when one of them has no value, never a partial sum.
/// </summary>
public sealed record LiveMachineResponse(string Machine, IReadOnlyList<string> Sockets, double? PowerWatts, double? MeanWatts);
