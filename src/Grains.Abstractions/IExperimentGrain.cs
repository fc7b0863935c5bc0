using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Abstractions;

/// <summary>One experiment, keyed by its id: submitted → running → finished, failed or cancelled.</summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    ValueTask<ExperimentInfo> SubmitAsync(string name, IReadOnlyList<string> machines);

    /// <summary>
    /// Submits an experiment that runs <paramref name="run"/> on every machine through its runner:
    /// queued until it holds every machine's lease, then an idle baseline when asked, then the
    /// command; it ends when every machine's command has ended (or a runner went silent).
    /// </summary>
    ValueTask<ExperimentInfo> SubmitRunAsync(string name, IReadOnlyList<string> machines, RunSpec run);

    /// <summary>A runner's report on this experiment's command on <paramref name="machine"/> (from its runner grain).</summary>
    ValueTask ReportRunAsync(string machine, RunReport report);

    /// <summary>Leases every machine and starts measuring at <paramref name="at"/> (now when null).</summary>
    ValueTask<ExperimentInfo> StartAsync(DateTimeOffset? at = null);

    /// <summary>Starts phase <paramref name="name"/> (an epoch, a step) at <paramref name="at"/> (now when null).</summary>
    ValueTask<ExperimentInfo> MarkAsync(string name, DateTimeOffset? at = null);

    /// <summary>Ends the experiment, computes and stores its energy per machine and phase, releases the machines.</summary>
    ValueTask<ExperimentInfo> StopAsync(DateTimeOffset? at = null, bool failed = false);

    ValueTask<ExperimentInfo> CancelAsync();

    /// <summary>The experiment as it is stored (cheap: no energy is computed); null when never submitted.</summary>
    ValueTask<ExperimentInfo?> GetAsync();

    /// <summary>As <see cref="GetAsync"/>, and for a running experiment its energy so far (computed now, not stored).</summary>
    ValueTask<ExperimentInfo?> GetReportAsync();
}
