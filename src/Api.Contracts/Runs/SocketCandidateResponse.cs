using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>How well one socket's power followed the load pattern.</summary>
public sealed record SocketCandidateResponse(
    string Box,
    int Socket,
    [property: Description("Pearson correlation of the socket's per-slot mean power with the on/off slots (-1 to 1).")] double Correlation,
    double OnWatts,
    double OffWatts);
