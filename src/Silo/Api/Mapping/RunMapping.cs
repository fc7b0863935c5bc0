using Fleet.Api.Contracts.Runs;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Silo.Runs;
using Fleet.Storage.Runs;

namespace Fleet.Silo.Api.Mapping;

/// <summary>Runs, runners, their logs and socket identifications as the API serves them.</summary>
internal static class RunMapping
{
    public static RunSpecResponse ToResponse(this RunSpec run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunSpecResponse([.. run.Command], run.WorkingDirectory, new Dictionary<string, string>(run.Environment, StringComparer.Ordinal), run.IdleBaselineSeconds, run.CancelGraceSeconds);
    }

    public static MachineRunResponse ToResponse(this MachineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new MachineRunResponse(run.Machine, run.Host, run.StartedAt, run.EndedAt, run.ExitCode, run.Error, [.. run.Components.Select(ToResponse)]);
    }

    public static ComponentStatusResponse ToResponse(this ComponentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new ComponentStatusResponse(status.Component, status.Available, status.Source, status.Reason);
    }

    public static ComponentEnergyResponse ToResponse(this ComponentEnergyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ComponentEnergyResponse(result.Machine, result.Phase, result.Component, result.Source, result.Joules, result.Joules is null ? result.Missing ?? "not measured" : result.Missing);
    }

    public static RunnerResponse ToResponse(this RunnerPresence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return new RunnerResponse(presence.Machine, presence.Host, presence.LastHeartbeat, presence.Alive, presence.ClockOffsetSeconds, [.. presence.Components.Select(ToResponse)], [.. presence.ActiveJobs]);
    }

    public static LogLineResponse ToResponse(this StoredLogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new LogLineResponse(line.Id, line.Machine, line.Sequence, line.At, line.Source, line.Line);
    }

    public static IdentifyResponse ToResponse(this IdentificationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new IdentifyResponse(
            outcome.Machine,
            outcome.Pattern.Seed,
            outcome.Pattern.Slots,
            outcome.Pattern.SlotSeconds,
            outcome.From,
            outcome.To,
            [.. outcome.Result.Candidates.Select(c => new SocketCandidateResponse(c.Socket.BoxId, c.Socket.Socket, c.Correlation, c.OnWatts, c.OffWatts))],
            [.. outcome.Result.Proposed.Select(s => new ProposedSocketResponse(s.BoxId, s.Socket))],
            outcome.Result.Refusal,
            outcome.Applied);
    }
}
