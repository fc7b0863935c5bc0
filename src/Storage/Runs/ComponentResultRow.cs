namespace Fleet.Storage.Runs;

/// <summary>A component's energy on a machine over a phase; <paramref name="Joules"/> null when not measured (<paramref name="Missing"/> says why).</summary>
public sealed record ComponentResultRow(string Machine, string Phase, string Component, string Source, double? Joules, string? Missing);
