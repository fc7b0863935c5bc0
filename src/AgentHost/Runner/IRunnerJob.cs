namespace Fleet.AgentHost.Runner;

/// <summary>A job this runner runs: an experiment's command or an identification's load pattern.</summary>
public interface IRunnerJob : IAsyncDisposable
{
    string JobId { get; }

    JobOutbox Outbox { get; }

    /// <summary>Completes when the job has ended and its outcome is in the outbox.</summary>
    Task Completion { get; }

    /// <summary>Stops the job early (a command gets SIGTERM, then SIGKILL after its grace period).</summary>
    void Cancel();
}
