using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions;
using Fleet.Grains.Abstractions.Messages;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// Sends spooled batches to the box's meter grain in order, one call per batch, and
/// acknowledges each in the spool once the grain has stored it (or already had it). Each
/// failure is decided once:
/// <list type="bullet">
/// <item>transient (the cluster or its database unreachable, a timeout, another agent feeding
/// the box): retried with backoff while the spool grows; said once, and again when it clears;</item>
/// <item>permanent (<see cref="InvalidBatchException"/>, <see cref="RequestRejectedException"/>):
/// the batch goes to the spool's quarantine with the reason, said once, and the stream goes on.</item>
/// </list>
/// Batches grow while the agent catches up: the consecutive batches waiting in the spool go in
/// one call (up to <see cref="IngestLimits.MaxFramesPerBatch"/> frames), so an agent back after
/// an hour offline pays one round trip per hundred seconds of frames, not per second. When such
/// a call is refused for good, its batches are sent one by one so only the culprit is quarantined.
/// </summary>
public sealed partial class BatchPusher
{
    private readonly Spool _spool;
    private readonly Func<CancellationToken, Task<IMeterGrain>> _meter;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<IngestResult> _retry;
    private readonly Func<FrameBatch, FrameBatch> _sign;
    private readonly int _maxFramesPerCall;
    private readonly Action<FrameBatch, IngestResult>? _acknowledged;
    private int _sendSingly;
    private long _batchesSent;
    private long _batchesStored;
    private long _batchesAlreadyStored;
    private long _framesAlreadyStored;
    private long _batchesQuarantined;
    private string? _failing;

    /// <param name="sign">Signs a batch as it is sent (the agent's lab certificate); none in development without TLS.</param>
    /// <param name="maxFramesPerCall">Most frames one call may carry when batches are waiting (1 sends every batch alone).</param>
    /// <param name="acknowledged">Called with each batch the cluster stored or already had (load tests measure latency with it).</param>
    public BatchPusher(
        Spool spool,
        Func<CancellationToken, Task<IMeterGrain>> meter,
        ILogger<BatchPusher> logger,
        TimeSpan? maxRetryDelay = null,
        Func<FrameBatch, FrameBatch>? sign = null,
        int maxFramesPerCall = IngestLimits.MaxFramesPerBatch,
        Action<FrameBatch, IngestResult>? acknowledged = null)
    {
        _spool = spool;
        _meter = meter;
        _logger = logger;
        _sign = sign ?? (batch => batch);
        _maxFramesPerCall = maxFramesPerCall;
        _acknowledged = acknowledged;
        _retry = new ResiliencePipelineBuilder<IngestResult>()
            .AddRetry(new RetryStrategyOptions<IngestResult>
            {
                // A refusal for good will not get better by retrying: it is quarantined instead.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error
                    && !IsPermanent(error)
                    && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = maxRetryDelay ?? TimeSpan.FromSeconds(10),
                UseJitter = true,
                OnRetry = args =>
                {
                    var error = args.Outcome.Exception!;
                    var kind = error switch
                    {
                        BoxWriterConflictException => "conflict",
                        AgentNotEnrolledException => "not-enrolled",
                        _ => "unreachable",
                    };
                    if (_failing != kind)
                    {
                        _failing = kind;
                        if (error is BoxWriterConflictException)
                        {
                            LogWriterConflict(error.Message, _spool.Pending);
                        }
                        else if (error is AgentNotEnrolledException)
                        {
                            LogNotEnrolled(error.Message, _spool.Pending);
                        }
                        else
                        {
                            LogUnreachable(error.GetType().Name, error.Message, _spool.Pending);
                        }
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <summary>Batches the cluster has acknowledged since start (stored, already stored, or quarantined here).</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>Batches whose frames were stored now (all or some of them).</summary>
    public long BatchesStored => Interlocked.Read(ref _batchesStored);

    /// <summary>Batches whose frames were all stored before (a retry, a restart on the spool, a replay run again).</summary>
    public long BatchesAlreadyStored => Interlocked.Read(ref _batchesAlreadyStored);

    /// <summary>Frames the cluster already had, over all batches.</summary>
    public long FramesAlreadyStored => Interlocked.Read(ref _framesAlreadyStored);

    /// <summary>Batches the cluster refused for good since start, moved to the spool's quarantine.</summary>
    public long BatchesQuarantined => Interlocked.Read(ref _batchesQuarantined);

    /// <summary>Runs until cancelled; with <paramref name="untilEmpty"/> returns once the spool is drained and <paramref name="inputDone"/> is set.</summary>
    public async Task RunAsync(Func<bool> inputDone, CancellationToken cancellationToken, bool untilEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(inputDone);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batches = _spool.PeekMany(_sendSingly > 0 ? 1 : _maxFramesPerCall);
            if (batches.Count == 0)
            {
                if (untilEmpty && inputDone() && _spool.Peek() is null)
                {
                    return;
                }

                await _spool.WaitForAppendAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                continue;
            }

            _sendSingly = Math.Max(0, _sendSingly - 1);
            var batch = FrameBatchMerge.Concat(batches);
            try
            {
                var outgoing = _sign(batch);
                var result = await _retry.ExecuteAsync(
                    async token => await (await _meter(token).ConfigureAwait(false)).IngestAsync(outgoing).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                Count(result, batches.Count);
                foreach (var sent in batches)
                {
                    _spool.Acknowledge(sent);
                }

                _acknowledged?.Invoke(batch, result);
            }
            catch (Exception error) when (IsPermanent(error) && batches.Count > 1)
            {
                // One of them is the culprit: send them one by one, so the others are stored.
                _sendSingly = batches.Count;
                continue;
            }
            catch (Exception error) when (IsPermanent(error))
            {
                // Keeping a batch the cluster will never take would block every later one.
                Interlocked.Increment(ref _batchesQuarantined);
                if (_spool.Quarantine(batch, error.Message))
                {
                    LogQuarantined(batch.Sequence, batch.Count, error.Message, _spool.RejectedDirectory);
                }
                else
                {
                    LogQuarantineNotWritten(batch.Sequence, batch.Count, error.Message, _spool.RejectedDirectory);
                }
            }

            if (_failing is not null)
            {
                _failing = null;
                LogRecovered(_spool.Pending);
            }

            Interlocked.Add(ref _batchesSent, batches.Count);
        }
    }

    private static bool IsPermanent(Exception error) => error is InvalidBatchException or RequestRejectedException;

    private void Count(IngestResult result, int batches)
    {
        if (result.Outcome == IngestOutcome.Duplicate)
        {
            if (Interlocked.Add(ref _batchesAlreadyStored, batches) == batches)
            {
                LogFirstAlreadyStored();
            }
        }
        else
        {
            Interlocked.Add(ref _batchesStored, batches);
        }

        Interlocked.Add(ref _framesAlreadyStored, result.FramesAlreadyStored);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unreachable ({Kind}: {Reason}); transient: still measuring and spooling, retrying with backoff ({Pending} batches waiting)")]
    private partial void LogUnreachable(string? kind, string? reason, int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused: {Reason}. Transient: still measuring and spooling ({Pending} batches waiting), retrying until the other agent stops")]
    private partial void LogWriterConflict(string reason, int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused: {Reason}. Transient: still measuring and spooling ({Pending} batches waiting); they are sent once the host is enrolled")]
    private partial void LogNotEnrolled(string reason, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster accepting batches again; catching up ({Pending} batches waiting)")]
    private partial void LogRecovered(int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {Sequence} ({Frames} frames) refused for good and quarantined in {Directory}: {Reason}; going on with the next batch")]
    private partial void LogQuarantined(long sequence, int frames, string reason, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {Sequence} ({Frames} frames) refused for good and dropped: it could not be written to {Directory} (disk full?): {Reason}; going on with the next batch")]
    private partial void LogQuarantineNotWritten(long sequence, int frames, string reason, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Frames already stored (same times and values, e.g. a replay run again or a restart on this spool): they are not stored twice")]
    private partial void LogFirstAlreadyStored();
}
