using System.Security.Cryptography;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Abstractions.Messages.Runs;
using Fleet.Grains.Identification;
using Fleet.OmegaWatt.Protocol;
using Fleet.Silo.Hosting;
using Fleet.Storage.Boxes;
using Fleet.Storage.Export;

namespace Fleet.Silo.Runs;

/// <summary>
/// Finds the socket(s) of a machine from power alone: its runner drives a pseudo-random on/off
/// load, the meters record every socket, and the socket whose power follows the pattern is
/// proposed (and recorded from now on with <c>apply</c>). The wiring of a simulated box is never
/// read: only the frames.
/// </summary>
public sealed class SocketIdentificationService
{
    /// <summary>How long the runner may take to pick the job up (a heartbeat) and report its end.</summary>
    private static readonly TimeSpan RunnerSlack = TimeSpan.FromSeconds(30);

    /// <summary>How long the boxes' agents may take to deliver the pattern's last frames (they run about a second behind).</summary>
    private static readonly TimeSpan FramesSlack = TimeSpan.FromSeconds(15);

    /// <summary>How identification jobs (and their machine leases) are named.</summary>
    public const string IdentificationJobPrefix = "identify-";

    private readonly IGrainFactory _grains;
    private readonly SampleReader _reader;
    private readonly BoxStore _boxes;
    private readonly TimeProvider _time;

    public SocketIdentificationService(IGrainFactory grains, SampleReader reader, BoxStore boxes, TimeProvider time)
    {
        _grains = grains;
        _reader = reader;
        _boxes = boxes;
        _time = time;
    }

    /// <summary>
    /// Runs one identification (about the pattern's duration plus a few seconds for the last frames).
    /// Throws <see cref="ApiBadRequestException"/> when the machine has no live runner or the box is
    /// unknown, <see cref="RequestRejectedException"/> when an experiment holds the machine.
    /// </summary>
    public async Task<IdentificationOutcome> IdentifyAsync(string machine, string? boxId, int? seed, bool apply, CancellationToken cancellationToken)
    {
        var runner = _grains.GetGrain<IRunnerGrain>(machine);
        if (!(await runner.GetPresenceAsync().ConfigureAwait(false)).Alive)
        {
            throw new ApiBadRequestException($"no runner for machine {machine}: start `Fleet.AgentHost --runner --machine {machine}` on it");
        }

        var known = (await _boxes.ListAsync(cancellationToken).ConfigureAwait(false)).Select(b => b.BoxId).ToList();
        if (boxId is not null && !known.Contains(boxId, StringComparer.Ordinal))
        {
            throw new ApiBadRequestException($"unknown box '{boxId}': no frame was ever stored for it (fleet status lists the boxes)");
        }

        var pattern = LoadPatternSlots.Default(seed ?? RandomNumberGenerator.GetInt32(1, int.MaxValue));
        var jobId = $"{IdentificationJobPrefix}{machine}-{_time.GetUtcNow().ToUnixTimeMilliseconds()}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
        // The machine is leased for the pattern: an experiment's command would blur it, and the
        // pattern would disturb the experiment's measurement. A submission arriving meanwhile waits.
        var lease = _grains.GetGrain<IMachineGrain>(machine);
        var lifetime = TimeSpan.FromSeconds(pattern.DurationSeconds) + RunnerSlack + FramesSlack;
        if (!await lease.TryLeaseBrieflyAsync(jobId, lifetime).ConfigureAwait(false))
        {
            var holder = await lease.GetLeaseHolderAsync().ConfigureAwait(false);
            throw new RequestRejectedException(holder switch
            {
                null => $"experiments wait for machine {machine}: identify it when they have run (fleet queue)",
                _ when holder.StartsWith(IdentificationJobPrefix, StringComparison.Ordinal) => $"machine {machine} is being identified already: wait for that answer",
                _ => $"machine {machine} is running experiment {holder}: identify it when it is free",
            });
        }

        try
        {
            return await IdentifyLeasedAsync(runner, machine, jobId, pattern, boxId, known, apply, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await lease.ReleaseAsync(jobId).ConfigureAwait(false);
        }
    }

    private async Task<IdentificationOutcome> IdentifyLeasedAsync(
        IRunnerGrain runner, string machine, string jobId, LoadPattern pattern, string? boxId, IReadOnlyList<string> known, bool apply, CancellationToken cancellationToken)
    {
        await runner.AssignAsync(new RunnerJob(jobId, RunnerJobKind.LoadPattern, null, pattern)).ConfigureAwait(false);
        RunnerJobProgress progress;
        try
        {
            progress = await WaitForRunnerAsync(runner, machine, jobId, pattern, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not ApiBadRequestException)
        {
            // Nobody will read the answer (cancelled, or the cluster failed us): the pattern stops
            // with the lease. A refusal from the runner's side has already ended it.
            await runner.CancelAsync(jobId).ConfigureAwait(false);
            throw;
        }

        var from = progress.StartedAt!.Value;
        var to = from.AddSeconds(pattern.DurationSeconds);

        var boxes = boxId is null ? await ActiveBoxesAsync(known, from).ConfigureAwait(false) : [boxId];
        await WaitForFramesAsync(boxes, to, cancellationToken).ConfigureAwait(false);
        var candidates = new List<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)>();
        foreach (var box in boxes)
        {
            candidates.AddRange(await BoxSocketPower.ReadAsync(_reader, box, from, to, cancellationToken).ConfigureAwait(false));
        }

        var result = SocketIdentifier.Identify(pattern, from, candidates);
        var applied = false;
        if (apply && result.Proposed.Count > 0)
        {
            await _grains.GetGrain<IMachineGrain>(machine).AssignAsync(result.Proposed, _time.GetUtcNow()).ConfigureAwait(false);
            applied = true;
        }

        return new IdentificationOutcome(machine, pattern, from, to, result, applied);
    }

    private async Task<RunnerJobProgress> WaitForRunnerAsync(IRunnerGrain runner, string machine, string jobId, LoadPattern pattern, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(pattern.DurationSeconds) + RunnerSlack;
        while (true)
        {
            var progress = await runner.GetJobAsync(jobId).ConfigureAwait(false);
            if (progress?.Outcome is { } outcome)
            {
                if (outcome.Error is not null || progress.StartedAt is null)
                {
                    throw new ApiBadRequestException($"the runner of {machine} did not complete the load pattern: {outcome.Error ?? "no start reported"}");
                }

                return progress;
            }

            if (_time.GetUtcNow() > deadline)
            {
                await runner.CancelAsync(jobId).ConfigureAwait(false);
                throw new ApiBadRequestException($"the runner of {machine} did not run the {pattern.DurationSeconds:0} s load pattern within {(TimeSpan.FromSeconds(pattern.DurationSeconds) + RunnerSlack).TotalSeconds:0} s (is it still connected? fleet runners)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Boxes whose newest frame is after the pattern began: the ones that can show it.</summary>
    private async Task<List<string>> ActiveBoxesAsync(IReadOnlyList<string> known, DateTimeOffset from)
    {
        var active = new List<string>();
        foreach (var box in known)
        {
            if ((await _grains.GetGrain<IMeterGrain>(box).GetHealthAsync().ConfigureAwait(false)).LastFrameTime >= from)
            {
                active.Add(box);
            }
        }

        return active;
    }

    private async Task WaitForFramesAsync(IReadOnlyList<string> boxes, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + FramesSlack;
        foreach (var box in boxes)
        {
            while (_time.GetUtcNow() < deadline)
            {
                var last = (await _grains.GetGrain<IMeterGrain>(box).GetHealthAsync().ConfigureAwait(false)).LastFrameTime;
                if (last >= to - FrameLayout.FramePeriod)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
