using System.Text.Json;
using Fleet.Api.Contracts.Experiments;
using Fleet.Api.Contracts.Json;
using Fleet.Api.Contracts.Runs;

namespace Fleet.Cli.Tests.Support;

/// <summary>The silo's answers for scripted tests, written by the contract's own JSON so they cannot drift from it.</summary>
internal static class Bodies
{
    public static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static readonly RunSpecResponse Bench = new(["./bench.sh", "--fast"], null, new Dictionary<string, string>(), 30, 10);

    public static ExperimentResponse Submitted(string id, ExperimentStatus status, params string[] machines) =>
        new(id, "./bench.sh --fast", status, machines, [], [], status is ExperimentStatus.Running ? T : null, null, [], Run: Bench, SubmittedAt: T);

    public static ExperimentResponse Ended(string id, ExperimentStatus status, MachineRunResponse[] runs, string? reason = null) =>
        Submitted(id, status, [.. runs.Select(r => r.Machine)]) with { StartedAt = T, FinishedAt = T.AddSeconds(12), Runs = runs, Reason = reason };

    public static MachineRunResponse Run(string machine, int? exitCode, string? error = null) =>
        new(machine, $"{machine}.lab", T, T.AddSeconds(12), exitCode, error, []);

    public static string Json(ExperimentResponse experiment) => JsonSerializer.Serialize(experiment, FleetJsonContext.Default.ExperimentResponse);

    public static string Json(QueueResponse queue) => JsonSerializer.Serialize(queue, FleetJsonContext.Default.QueueResponse);

    public static string Json(LogsResponse logs) => JsonSerializer.Serialize(logs, FleetJsonContext.Default.LogsResponse);

    public static string Json(IdentifyResponse outcome) => JsonSerializer.Serialize(outcome, FleetJsonContext.Default.IdentifyResponse);

    public static LogLineResponse Line(long id, string machine, string text, string source = "stdout") =>
        new(id, machine, id, T.AddSeconds(id), source, text);
}
