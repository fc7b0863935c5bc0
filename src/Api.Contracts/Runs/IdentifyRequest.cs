namespace Fleet.Api.Contracts.Runs;

/// <summary>
/// POST /api/machines/{machine}/identify: look only at <c>Box</c>'s sockets (default: every box),
/// drive the pattern of <c>Seed</c> (default: drawn), and with <c>Apply</c> assign the proposed
/// sockets from now (admin only, like PUT /api/machines/{name}/sockets).
/// </summary>
public sealed record IdentifyRequest(string? Box = null, int? Seed = null, bool Apply = false);
