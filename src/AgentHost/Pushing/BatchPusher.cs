using Fleet.AgentHost.Spooling;
using Fleet.Grains.Abstractions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// Sends spooled batches to the box's meter grain in order, one call per batch, and
/// acknowledges each in the spool once the grain has stored it (or already had it). While the
/// cluster or its database is unreachable it retries with backoff and the spool grows; when
/// they return it catches up in order.
/// </summary>
public sealed partial class BatchPusher
{
    private readonly Spool _spool;
    private readonly Func<CancellationToken, Task<IMeterGrain>> _meter;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private long _batchesSent;
    private bool _failing;

    public BatchPusher(Spool spool, Func<CancellationToken, Task<IMeterGrain>> meter, ILogger<BatchPusher> logger, TimeSpan? maxRetryDelay = null)
    {
        _spool = spool;
        _meter = meter;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // A refusal (malformed batch, plug count changed) will not get better by retrying.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error
                    && error is not RequestRejectedException
                    && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = maxRetryDelay ?? TimeSpan.FromSeconds(10),
                UseJitter = true,
                OnRetry = args =>
                {
                    if (!_failing)
                    {
                        _failing = true;
                        LogUnreachable(args.Outcome.Exception?.GetType().Name, args.Outcome.Exception?.Message, _spool.Pending);
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <summary>Batches the cluster has acknowledged since start.</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>Runs until cancelled; with <paramref name="untilEmpty"/> returns once the spool is drained and <paramref name="inputDone"/> is set.</summary>
    public async Task RunAsync(Func<bool> inputDone, CancellationToken cancellationToken, bool untilEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(inputDone);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = _spool.Peek();
            if (batch is null)
            {
                if (untilEmpty && inputDone() && _spool.Peek() is null)
                {
                    return;
                }

                await _spool.WaitForAppendAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await _retry.ExecuteAsync(
                    async token => await (await _meter(token).ConfigureAwait(false)).IngestAsync(batch).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RequestRejectedException error)
            {
                // Keeping a batch the cluster will never take would block every later one:
                // it goes to the spool's rejected/ folder with the reason, and leaves the queue.
                LogRejected(batch.Sequence, error.Message);
                _spool.Quarantine(batch, error.Message);
            }

            if (_failing)
            {
                _failing = false;
                LogRecovered(_spool.Pending);
            }

            _spool.Acknowledge(batch);
            Interlocked.Increment(ref _batchesSent);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unreachable ({Kind}: {Reason}); still measuring and spooling ({Pending} batches waiting)")]
    private partial void LogUnreachable(string? kind, string? reason, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster reachable again; catching up ({Pending} batches waiting)")]
    private partial void LogRecovered(int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "The cluster refused batch {Sequence} for good; it was set aside in the spool's rejected/ folder: {Reason}")]
    private partial void LogRejected(long sequence, string reason);
}
