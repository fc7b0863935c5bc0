namespace Fleet.Api.Contracts.Experiments;

/// <summary>
/// A phase's window as the experiment counts its energy: from its mark to the next mark, or to
/// the end of the experiment; <c>To</c> is null for the last phase of a running experiment.
/// Marks at the same instant leave the earlier one no phase.
/// </summary>
public sealed record PhaseResponse(string Name, DateTimeOffset From, DateTimeOffset? To);
