namespace Fleet.Api.Contracts.Silos;

/// <summary>A gateway of an active silo (GET /api/gateways): where agents connect.</summary>
public sealed record GatewayResponse(string Host, int Port);
