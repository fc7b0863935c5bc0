using System.Globalization;
using Fleet.AgentHost.Pushing;
using Fleet.AgentHost.Sources;
using Fleet.AgentHost.Spooling;
using Fleet.AgentHost.Timing;
using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.AgentHost.Ingest;

/// <summary>
/// One box's whole path on the agent: read → decode → timestamp → spool → push. Reading never
/// waits for the cluster: batches go to disk first and the pusher drains the spool in order
/// whenever the cluster answers. A finite source (a replay) ends the agent once every batch
/// was acknowledged; a live one runs until stopped.
/// </summary>
public sealed partial class ClusterAgentWorker : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly IByteSource _source;
    private readonly ClusterConnection _connection;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ClusterAgentWorker> _logger;

    public ClusterAgentWorker(AgentOptions options, IByteSource source, ClusterConnection connection, IHostApplicationLifetime lifetime, ILoggerFactory loggerFactory)
    {
        _options = options;
        _source = source;
        _connection = connection;
        _lifetime = lifetime;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterAgentWorker>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var spool = new Spool(new SpoolOptions { Directory = _options.SpoolDirectory, MaxBytes = _options.SpoolMaxBytes });
        if (spool.TornRecords > 0)
        {
            LogTorn(spool.TornRecords, _options.SpoolDirectory);
        }

        if (spool.Pending > 0)
        {
            LogResuming(spool.Pending, _options.SpoolDirectory);
        }

        var decoder = new FrameDecoder();
        IFrameClock clock = _options.Start is { } start ? new FixedStartClock(start) : new ReceiptClock();
        // A new source id per run: sequences restart at 1 without colliding with what an earlier run stored.
        var sourceId = string.Create(CultureInfo.InvariantCulture, $"{_options.AgentHost}/{_options.BoxId}/{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        var writerId = WriterIdentity.LoadOrCreate(_options.SpoolDirectory, _options.AgentHost);
        var spooling = new SpoolingFrameHandler(decoder, clock, spool, sourceId, _options.AgentHost, writerId);
        using var signer = _options.Certificate is { } certificate ? new WriterSigner(certificate) : null;
        var pusher = new BatchPusher(
            spool, token => _connection.GetMeterAsync(_options.BoxId, token), _loggerFactory.CreateLogger<BatchPusher>(),
            sign: signer is null ? null : batch => signer.Sign(_options.BoxId, batch));
        var inputDone = 0;
        using var background = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var pushing = pusher.RunAsync(() => Volatile.Read(ref inputDone) == 1, background.Token, untilEmpty: true);
        var housekeeping = HousekeepAsync(spooling, spool, decoder, clock, signer, background.Token);
        LogStarting(_source.Description, _options.BoxId, sourceId);
        try
        {
            var summary = await SourceReader.RunAsync(_source, decoder, spooling, stoppingToken).ConfigureAwait(false);
            spooling.Flush();
            Volatile.Write(ref inputDone, 1);
            if (summary.TruncatedTailBytes > 0)
            {
                LogTruncated(summary.TruncatedTailBytes);
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                LogDraining(spool.Pending);
                await pushing.ConfigureAwait(false);
                LogDone(decoder.Counters.FramesAccepted, pusher.BatchesSent, pusher.BatchesStored, pusher.BatchesAlreadyStored, pusher.FramesAlreadyStored, pusher.BatchesQuarantined);
            }
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(error, _source.Description);
            Environment.ExitCode = 1;
        }
        finally
        {
            await background.CancelAsync().ConfigureAwait(false);
            await pushing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await housekeeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _lifetime.StopApplication();
        }
    }

    private async Task HousekeepAsync(SpoolingFrameHandler spooling, Spool spool, FrameDecoder decoder, IFrameClock clock, WriterSigner? signer, CancellationToken cancellationToken)
    {
        // Closes partial batches of a quiet box every second, and reports at the report interval.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var lastReport = DateTime.UtcNow;
        long refusedReported = 0;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            spooling.Flush();
            if (spooling.FramesRefused > refusedReported)
            {
                refusedReported = spooling.FramesRefused;
                // Say which limit was hit: the budget, or the disk itself (its own error message).
                LogSpoolFull(spool.LastWriteError ?? $"its budget of {_options.SpoolMaxBytes} bytes is used", refusedReported);
            }
            else if (spool.IsNearlyFull)
            {
                LogSpoolNearlyFull(spool.Bytes, _options.SpoolMaxBytes);
            }

            await ReportHealthAsync(spool, clock, signer, cancellationToken).ConfigureAwait(false);
            if (DateTime.UtcNow - lastReport >= _options.ReportInterval)
            {
                lastReport = DateTime.UtcNow;
                var counters = decoder.Counters;
                LogReport(counters.FramesValid, counters.FramesInvalid, counters.FramesBadCheck, counters.FramesMissingById, spool.Pending, spool.Bytes, clock.Health.OffsetSeconds * 1000, clock.Health.JitterSeconds * 1000);
            }
        }
    }

    private async Task ReportHealthAsync(Spool spool, IFrameClock clock, WriterSigner? signer, CancellationToken cancellationToken)
    {
        // Best effort, once a second: Prometheus sees agents through the silos, and an
        // unreachable cluster is the pusher's business to report, not this loop's.
        try
        {
            var meter = await _connection.GetMeterAsync(_options.BoxId, cancellationToken).ConfigureAwait(false);
            var reconnects = _source is SerialPortSource serial ? serial.Reconnects : 0;
            var health = new AgentHealth(_options.AgentHost, spool.Bytes, spool.Pending, reconnects, clock.Health.OffsetSeconds, clock.Health.JitterSeconds, spool.QuarantinedOnDisk);
            await meter.ReportAgentHealthAsync(signer is null ? health : signer.Sign(_options.BoxId, health)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogHealthNotSent(error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent health not sent: {Reason}")]
    private partial void LogHealthNotSent(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Source} as box {Box} (source id {SourceId})")]
    private partial void LogStarting(string source, string box, string sourceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "frames valid={Valid} invalid={Invalid} bad_check={BadCheck} missing={Missing}; spool {Pending} batches, {Bytes} bytes; clock offset {OffsetMs:F1} ms jitter {JitterMs:F1} ms")]
    private partial void LogReport(long valid, long invalid, long badCheck, long missing, int pending, long bytes, double offsetMs, double jitterMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Input ended; sending the {Pending} batches still spooled")]
    private partial void LogDraining(int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Done: {Frames} frames read, {Batches} batches acknowledged by the cluster: {Stored} stored, {AlreadyStored} already stored ({FramesAlreadyStored} frames not stored twice), {Quarantined} quarantined")]
    private partial void LogDone(long frames, long batches, long stored, long alreadyStored, long framesAlreadyStored, long quarantined);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming: {Pending} batches from an earlier run are still spooled in {Directory}")]
    private partial void LogResuming(int pending, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} torn spool records in {Directory} (a crash mid-write); the batches before them are kept")]
    private partial void LogTorn(long count, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool nearly full: {Bytes} of {MaxBytes} bytes; the cluster has not acknowledged for a while")]
    private partial void LogSpoolNearlyFull(long bytes, long maxBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "SPOOL FULL ({Reason}): {Frames} frames dropped so far (new frames are dropped while it is full); free disk, raise --spool-max-mb or bring the cluster back")]
    private partial void LogSpoolFull(string reason, long frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The input ended inside a frame: {Bytes} bytes of an incomplete frame were dropped")]
    private partial void LogTruncated(long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading {Source} failed")]
    private partial void LogFailed(Exception error, string source);
}
