using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.Grains.Runners;

/// <summary>A machine's runner as the cluster sees it (being written).</summary>
public sealed class RunnerGrain : Grain, IRunnerGrain
{
    public ValueTask<RunnerSession> RegisterAsync(RunnerHello hello) => throw new NotImplementedException();

    public ValueTask<RunnerInstructions> HeartbeatAsync(RunnerHeartbeat heartbeat) => throw new NotImplementedException();

    public ValueTask ReportAsync(RunReport report) => throw new NotImplementedException();

    public ValueTask<RunnerPresence> GetPresenceAsync() => throw new NotImplementedException();

    public ValueTask AssignAsync(RunnerJob job) => throw new NotImplementedException();

    public ValueTask CancelAsync(string jobId) => throw new NotImplementedException();

    public ValueTask<RunnerJobProgress?> GetJobAsync(string jobId) => throw new NotImplementedException();
}
