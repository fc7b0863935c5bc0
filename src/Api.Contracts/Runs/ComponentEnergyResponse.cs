using System.ComponentModel;

namespace Fleet.Api.Contracts.Runs;

/// <summary>One component's energy ("rapl", "gpu") on one machine over one phase (the phases of <c>results</c>).</summary>
public sealed record ComponentEnergyResponse(
    string Machine,
    string Phase,
    string Component,
    string Source,
    [property: Description("Null when the component was not measured (see missing): never 0 for a missing meter.")] double? Joules,
    string? Missing);
