using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Fleet.AgentHost.Sources;

/// <summary>
/// Reads the box's USB serial port (921600 8N1, raw, no flow control) through <see cref="TtyPort"/>
/// on a thread of its own that sleeps until bytes arrive. When the port
/// disappears (USB unplugged, adapter reset) it says so once, retries opening with backoff,
/// and resumes: the decoder downstream resynchronises on the next sync word.
/// </summary>
public sealed partial class SerialPortSource : IByteSource
{
    private readonly SerialPortOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _reopen;
    private int _reconnects;
    private int _failedOpens;

    public SerialPortSource(SerialPortOptions options, ILogger<SerialPortSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _reopen = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(error => error is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.ReconnectDelay,
                MaxDelay = options.MaxReconnectDelay,
                UseJitter = true,
                OnRetry = args =>
                {
                    _failedOpens++;
                    LogOpenFailed(args.AttemptNumber + 1, args.Outcome.Exception?.Message, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    public string Description => $"serial {_options.PortName} at {_options.BaudRate} baud";

    /// <summary>How often the port was lost and opened again.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    public bool IsConnected { get; private set; }

    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var everOpened = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            _failedOpens = 0;
            using var port = await _reopen.ExecuteAsync(_ => ValueTask.FromResult(Open()), cancellationToken).ConfigureAwait(false);
            if (everOpened)
            {
                Interlocked.Increment(ref _reconnects);
                LogReconnected(_options.PortName, _failedOpens);
            }
            else
            {
                LogOpened(_options.PortName, _options.BaudRate);
            }

            everOpened = true;
            IsConnected = true;
            try
            {
                await ReadUntilLostAsync(port, output, cancellationToken).ConfigureAwait(false);
                return; // the consumer stopped reading
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                // The one warning per outage; the reopen attempts log at Debug.
                LogLost(_options.PortName, error.Message);
            }
            finally
            {
                IsConnected = false;
            }
        }
    }

    private TtyPort Open() => TtyPort.Open(_options.PortName, _options.BaudRate);

    private Task ReadUntilLostAsync(TtyPort port, PipeWriter output, CancellationToken cancellationToken) =>
        // A thread of its own, asleep in poll() between bursts: no thread-pool thread is held.
        Task.Factory.StartNew(() => ReadUntilLost(port, output, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void ReadUntilLost(TtyPort port, PipeWriter output, CancellationToken cancellationToken)
    {
        using var wakeOnCancel = cancellationToken.Register(port.Wake);
        var pause = (int)_options.CoalesceInterval.TotalMilliseconds;
        while (true)
        {
            var read = port.Read(output.GetSpan(_options.ReadBufferLength));
            if (read < 0)
            {
                // Woken: only cancellation wakes the port.
                throw new OperationCanceledException(cancellationToken);
            }

            if (read == 0)
            {
                // Hung up: the adapter was unplugged (its node may linger a moment) or reset.
                throw new IOException(File.Exists(_options.PortName) ? $"{_options.PortName} hung up" : $"{_options.PortName} disappeared");
            }

            output.Advance(read);
            var flushing = output.FlushAsync(cancellationToken);
            var flushed = flushing.IsCompletedSuccessfully ? flushing.Result : flushing.AsTask().GetAwaiter().GetResult();
            if (flushed.IsCompleted)
            {
                return;
            }

            // A trickle (one frame per read) costs a wake-up per frame: let a few frames gather
            // before reading again. Never long enough to fill the kernel's 4 KiB tty buffer.
            if (read < _options.CoalesceBelowBytes && pause > 0 && !port.Pause(pause))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened {Port} at {Baud} baud")]
    private partial void LogOpened(string port, int baud);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost {Port} ({Reason}); reopening with backoff until it returns")]
    private partial void LogLost(string port, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opening the port failed (attempt {Attempt}: {Reason}); next try in {Delay}")]
    private partial void LogOpenFailed(int attempt, string? reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reopened {Port} after {FailedAttempts} failed attempts; reading resumes")]
    private partial void LogReconnected(string port, int failedAttempts);
}
