namespace Fleet.Api.Contracts.Agents;

/// <summary>POST /api/agents/{host}/allow or /deny: the boxes (for deny, none means every box).</summary>
public sealed record EnrolmentRequest(IReadOnlyList<string?>? Boxes);
