namespace Fleet.AgentHost.Pushing;

/// <summary>
/// Makes a failed client start throw instead of retrying silently inside Orleans, so the
/// pusher's own retry loop can say the cluster is unreachable and back off.
/// </summary>
internal sealed class FailFastConnectionFilter : IClientConnectionRetryFilter
{
    public Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken) => Task.FromResult(false);
}
