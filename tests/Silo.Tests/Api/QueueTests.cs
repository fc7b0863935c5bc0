using Fleet.Grains.Abstractions.Messages;
using Fleet.Silo.Api;
using ContractStatus = Fleet.Api.Contracts.Experiments.ExperimentStatus;

namespace Fleet.Silo.Tests.Api;

/// <summary>GET /api/queue's order and what each queued experiment waits for, from the experiments the registry lists.</summary>
public sealed class QueueTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Queue_OldestFirstOnlyActiveAndEachQueuedWaitsForTheEarlierOnesSharingAMachine()
    {
        var queue = SubmissionEndpoints.Queue(
        [
            Experiment("exp-late", ExperimentStatus.Queued, 30, "srv-1", "srv-3"),
            Experiment("exp-done", ExperimentStatus.Finished, 0, "srv-1"),
            Experiment("exp-running", ExperimentStatus.Running, 10, "srv-1"),
            Experiment("exp-baseline", ExperimentStatus.Baseline, 20, "srv-2"),
            Experiment("exp-other", ExperimentStatus.Queued, 25, "srv-2"),
            Experiment("exp-cancelled", ExperimentStatus.Cancelled, 5, "srv-3"),
        ]);

        Assert.Equal(["exp-running", "exp-baseline", "exp-other", "exp-late"], queue.Experiments.Select(e => e.Id));
        Assert.Equal([1, 2, 3, 4], queue.Experiments.Select(e => e.Position));
        Assert.Equal([ContractStatus.Running, ContractStatus.Baseline, ContractStatus.Queued, ContractStatus.Queued], queue.Experiments.Select(e => e.Status));
        Assert.Equal(["exp-baseline"], queue.Experiments[2].WaitingFor);
        Assert.Equal(["exp-running"], queue.Experiments[3].WaitingFor);
        Assert.Empty(queue.Experiments[0].WaitingFor);
    }

    private static ExperimentInfo Experiment(string id, ExperimentStatus status, double submittedSeconds, params string[] machines) =>
        new(id, id, status, machines, [], null, null, [], [], SubmittedAt: T.AddSeconds(submittedSeconds));
}
