using Fleet.Api.Contracts.Experiments;
using Fleet.Grains.Abstractions.Messages;
using ContractStatus = Fleet.Api.Contracts.Experiments.ExperimentStatus;
using GrainStatus = Fleet.Grains.Abstractions.Messages.ExperimentStatus;

namespace Fleet.Silo.Api.Mapping;

/// <summary>The experiment grain's messages as the API serves them.</summary>
internal static class ExperimentMapping
{
    public static ExperimentResponse ToResponse(this ExperimentInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new ExperimentResponse(
            info.Id,
            info.Name,
            info.Status.ToResponse(),
            [.. info.Machines],
            [.. info.Marks.Select(m => new PhaseMarkResponse(m.Name, m.At))],
            [.. info.Phases.Select(p => new PhaseResponse(p.Name, p.From, p.To))],
            info.StartedAt,
            info.FinishedAt,
            [.. info.Results.Select(ToResponse)],
            info.ResultsUntil,
            info.Run?.ToResponse(),
            info.Runs is null ? null : [.. info.Runs.Select(r => r.ToResponse())],
            info.Components is null ? null : [.. info.Components.Select(c => c.ToResponse())],
            info.Comparison(),
            info.Baseline is null ? null : [.. info.Baseline.Select(ToResponse)],
            info.Reason,
            info.Warnings is null ? null : [.. info.Warnings],
            info.SubmittedAt);
    }

    public static EnergyResultResponse ToResponse(this EnergyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new EnergyResultResponse(
            result.Machine,
            result.Phase,
            result.From,
            result.To,
            result.Joules,
            result.MeanWatts,
            result.PeakWatts,
            result.Frames,
            result.FramesExpected,
            result.FramesInterpolated,
            result.Coverage,
            result.InterpolatedJoules,
            result.CoveredFrom,
            result.CoveredTo,
            result.CoveredSeconds);
    }

    public static ContractStatus ToResponse(this GrainStatus status) => status switch
    {
        GrainStatus.Submitted => ContractStatus.Submitted,
        GrainStatus.Running => ContractStatus.Running,
        GrainStatus.Finished => ContractStatus.Finished,
        GrainStatus.Failed => ContractStatus.Failed,
        GrainStatus.Cancelled => ContractStatus.Cancelled,
        GrainStatus.Queued => ContractStatus.Queued,
        GrainStatus.Baseline => ContractStatus.Baseline,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "an experiment status the API does not know"),
    };
}
