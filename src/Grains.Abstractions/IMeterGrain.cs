using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Abstractions;

/// <summary>One OmegaWatt box, keyed by its box id (e.g. <c>omegawatt-a</c>): ingest, live view, health.</summary>
public interface IMeterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a batch durably (exactly once per source and sequence) before returning, so the
    /// agent may then delete it from its spool. Fails when storage is unavailable: the agent
    /// keeps the batch and retries.
    /// </summary>
    ValueTask<IngestOutcome> IngestAsync(FrameBatch batch);

    ValueTask<MeterHealth> GetHealthAsync();

    /// <summary>The agent's own health (spool, reconnects, clock), published as metrics by the silo.</summary>
    ValueTask ReportAgentHealthAsync(AgentHealth health);

    /// <summary>The last <paramref name="seconds"/> seconds of per-socket mean power (at most the live window, 10 minutes), oldest first.</summary>
    ValueTask<IReadOnlyList<LiveSecond>> GetRecentAsync(int seconds);
}
