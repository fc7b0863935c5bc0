using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Abstractions;

/// <summary>One OmegaWatt box, keyed by its box id (e.g. <c>omegawatt-a</c>): ingest, live view, health.</summary>
public interface IMeterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a batch durably before returning, so the agent may then delete it from its spool.
    /// Exactly once: by source and sequence, and by content (frames already stored at the same
    /// times with the same values are not stored again).
    /// Throws <see cref="InvalidBatchException"/> (malformed or over a limit) or
    /// <see cref="RequestRejectedException"/> (conflicts with the box's plug count or with other
    /// frames stored in the same period): permanent, the agent quarantines the batch.
    /// Throws <see cref="BoxWriterConflictException"/> while another agent feeds the box, and
    /// <see cref="StorageUnavailableException"/> when the database cannot be reached: transient,
    /// the agent keeps the batch and retries.
    /// </summary>
    ValueTask<IngestResult> IngestAsync(FrameBatch batch);

    ValueTask<MeterHealth> GetHealthAsync();

    /// <summary>The agent's own health (spool, reconnects, clock), published as metrics by the silo.</summary>
    ValueTask ReportAgentHealthAsync(AgentHealth health);

    /// <summary>The last <paramref name="seconds"/> seconds of per-socket mean power (at most the live window, 10 minutes), oldest first.</summary>
    ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds);
}
