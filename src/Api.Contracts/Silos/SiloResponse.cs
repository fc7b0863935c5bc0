namespace Fleet.Api.Contracts.Silos;

/// <summary>One silo of the cluster (GET /api/silos): its membership status and when it last said it was alive.</summary>
/// <param name="Status">Orleans' membership status in lower case: e.g. active, joining, shuttingdown, dead.</param>
public sealed record SiloResponse(string Name, string Address, string HostName, string Status, DateTimeOffset StartedAt, DateTimeOffset LastAliveAt);
