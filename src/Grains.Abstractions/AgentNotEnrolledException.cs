namespace Fleet.Grains.Abstractions;

/// <summary>
/// The agent's certificate is the lab's, but its host is not enrolled for this box
/// (<c>fleet agents allow HOST --box BOX</c>). Not the batch's fault, so transient: the agent keeps
/// spooling and its batches go through once an admin enrols the host. The message says how.
/// </summary>
[GenerateSerializer, Alias("fleet.AgentNotEnrolledException")]
public sealed class AgentNotEnrolledException : Exception
{
    public AgentNotEnrolledException()
    {
    }

    public AgentNotEnrolledException(string message)
        : base(message)
    {
    }

    public AgentNotEnrolledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
