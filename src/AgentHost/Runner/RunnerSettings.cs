using System.Security.Cryptography.X509Certificates;

namespace Fleet.AgentHost.Runner;

/// <summary>What one runner process runs as.</summary>
public sealed record RunnerSettings
{
    /// <summary>The measured machine this runner runs experiments on (its machine and runner grain key).</summary>
    public required string Machine { get; init; }

    /// <summary>This host's name: the name in its lab certificate when it has one.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>The lab certificate with its key, to sign the hello; null in development without TLS.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The longest wait between two attempts to reach the cluster.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);
}
