namespace Fleet.Api.Contracts.Agents;

/// <summary>
/// POST /api/agents/{host}/allow or /deny: the boxes the host's agent may write and the machines
/// its runner may run experiments as (for deny, neither means every box and every machine).
/// </summary>
public sealed record EnrolmentRequest(IReadOnlyList<string?>? Boxes, IReadOnlyList<string?>? Machines = null);
