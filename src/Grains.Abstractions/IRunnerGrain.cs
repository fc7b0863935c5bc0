using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Abstractions;

/// <summary>
/// The runner of one measured machine, keyed by the machine's name. The runner process
/// (<c>Fleet.AgentHost --runner --machine M</c>) registers, then heartbeats: each answer carries
/// the jobs to start and to cancel, so the cluster never calls into a runner. Experiments and
/// socket identification hand it jobs.
/// </summary>
public interface IRunnerGrain : IGrainWithStringKey
{
    /// <summary>
    /// A fresh single-use challenge for the runner's next hello to carry (and sign): a captured
    /// hello cannot be replayed, its challenge being used or lapsed.
    /// </summary>
    ValueTask<string> ChallengeAsync();

    /// <summary>A runner (re)starts its session; a signed hello is checked like an agent's batches.</summary>
    ValueTask<RunnerSession> RegisterAsync(RunnerHello hello);

    /// <summary>A runner stopping cleanly ends its session: another runner may take the machine at once. Unknown sessions are ignored.</summary>
    ValueTask LeaveAsync(string sessionId);

    /// <summary>Proof of life; the answer holds new jobs and cancellations. Throws <see cref="RequestRejectedException"/> for an unknown session (register again).</summary>
    ValueTask<RunnerInstructions> HeartbeatAsync(RunnerHeartbeat heartbeat);

    /// <summary>What the runner has new about a job; idempotent.</summary>
    ValueTask ReportAsync(RunReport report);

    ValueTask<RunnerPresence> GetPresenceAsync();

    /// <summary>Queues a job for the runner's next heartbeat.</summary>
    ValueTask AssignAsync(RunnerJob job);

    /// <summary>Asks the runner to stop a job (SIGTERM, then SIGKILL after the grace period).</summary>
    ValueTask CancelAsync(string jobId);

    /// <summary>A job's progress as reported so far; null when unknown to this activation.</summary>
    ValueTask<RunnerJobProgress?> GetJobAsync(string jobId);
}
