using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Grains.Abstractions;

/// <summary>One experiment, keyed by its id: submitted → running → finished, failed or cancelled.</summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    ValueTask<ExperimentInfo> SubmitAsync(string name, IReadOnlyList<string> machines);

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
