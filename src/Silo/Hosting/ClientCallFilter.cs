using System.Reflection;
using Fleet.Grains.Abstractions;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Clients of the cluster (agents, through a gateway) may call only the grain methods meant for
/// them: a meter's ingest and health report, which the meter checks against the writer's
/// signature and enrolment, and a runner's hello (checked the same way), heartbeats and reports. Everything else (management, machines, experiments, registries) is
/// refused: people reach those through the HTTP API, with its roles and audit log. Calls made
/// inside the silo (its HTTP API, grains calling grains) are not clients' calls.
/// </summary>
internal sealed partial class ClientCallFilter : IIncomingGrainCallFilter
{
    private static readonly HashSet<MethodInfo> Allowed =
    [
        typeof(IMeterGrain).GetMethod(nameof(IMeterGrain.IngestAsync))!,
        typeof(IMeterGrain).GetMethod(nameof(IMeterGrain.ReportAgentHealthAsync))!,

        // A runner's session: its hello carries a fresh challenge, is signed and checked against
        // its enrolment; heartbeats and reports carry the session that hello opened.
        typeof(IRunnerGrain).GetMethod(nameof(IRunnerGrain.ChallengeAsync))!,
        typeof(IRunnerGrain).GetMethod(nameof(IRunnerGrain.RegisterAsync))!,
        typeof(IRunnerGrain).GetMethod(nameof(IRunnerGrain.HeartbeatAsync))!,
        typeof(IRunnerGrain).GetMethod(nameof(IRunnerGrain.ReportAsync))!,
        typeof(IRunnerGrain).GetMethod(nameof(IRunnerGrain.LeaveAsync))!,
    ];

    /// <summary>
    /// The one runtime service a client needs: the cluster's manifest (which grain types exist),
    /// read-only. Orleans keeps the interface internal, so it is known by name. Other system
    /// targets (silo control, membership, directory) stay closed to clients.
    /// </summary>
    private const string ClusterManifestInterface = "Orleans.Runtime.IClusterManifestSystemTarget";

    /// <summary>The key prefix of the client Orleans runs inside each silo, for the silo's own code.</summary>
    private const string HostedClientPrefix = "hosted-";

    private readonly ILogger<ClientCallFilter> _logger;

    public ClientCallFilter(ILogger<ClientCallFilter> logger) => _logger = logger;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SourceId is { } source && source.IsClient() && !source.Key.ToString().StartsWith(HostedClientPrefix, StringComparison.Ordinal)
            && !Allowed.Contains(context.InterfaceMethod)
            && !string.Equals(context.InterfaceName, ClusterManifestInterface, StringComparison.Ordinal))
        {
            LogRefused(context.InterfaceName, context.MethodName, source.ToString());
            throw new ClientCallRefusedException(
                $"{context.InterfaceName}.{context.MethodName} is not open to clients of the cluster: agents may only send frames and health to meters, runners only heartbeat and report; use the HTTP API");
        }

        return context.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a client's call to {Interface}.{Method} (client {Client})")]
    private partial void LogRefused(string @interface, string method, string client);
}
