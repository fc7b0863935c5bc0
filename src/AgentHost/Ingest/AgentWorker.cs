using System.Globalization;
using Fleet.AgentHost.Sources;
using Fleet.OmegaWatt.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.AgentHost.Ingest;

/// <summary>
/// Reads one box until its source ends (a replayed file) or the host stops (a serial port),
/// logging what arrives. The cluster core replaces the logging with spooling and pushing.
/// </summary>
public sealed partial class AgentWorker : BackgroundService
{
    private readonly IByteSource _source;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<AgentWorker> _logger;
    private readonly TimeSpan _reportInterval;
    private readonly FrameDecoder _decoder = new();
    private readonly FrameStatistics _statistics = new();

    public AgentWorker(IByteSource source, IHostApplicationLifetime lifetime, ILogger<AgentWorker> logger, TimeSpan reportInterval)
    {
        _source = source;
        _lifetime = lifetime;
        _logger = logger;
        _reportInterval = reportInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_source.Description);
        using var reporting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reporter = ReportPeriodicallyAsync(reporting.Token);
        try
        {
            var summary = await SourceReader.RunAsync(_source, _decoder, _statistics, stoppingToken).ConfigureAwait(false);
            Report();
            if (summary.TruncatedTailBytes > 0)
            {
                LogTruncated(summary.TruncatedTailBytes);
            }
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(error, _source.Description);
            Environment.ExitCode = 1;
        }
        finally
        {
            await reporting.CancelAsync().ConfigureAwait(false);
            await reporter.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // A finite source (a replayed file, stdin) ending means the job is done.
            _lifetime.StopApplication();
        }
    }

    private async Task ReportPeriodicallyAsync(CancellationToken cancellationToken)
    {
        // Without --box there is no cluster to send to: these lines are what an operator checking
        // a box sees, one per interval, not one per frame.
        using var timer = new PeriodicTimer(_reportInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            Report();
        }
    }

    private void Report()
    {
        var counters = _decoder.Counters;
        var snapshot = _statistics.Snapshot();
        var powers = string.Join(' ', snapshot.LastPowerWatts.Select((w, k) => string.Create(CultureInfo.InvariantCulture, $"{k + 1}:{w:F1}W")));
        LogReport(counters.FramesValid, counters.FramesInvalid, counters.FramesBadCheck, counters.FramesMissingById, counters.BytesSkipped, powers);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Source}")]
    private partial void LogStarting(string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "frames valid={Valid} invalid={Invalid} bad_check={BadCheck} missing={Missing} bytes_skipped={Skipped} power {Powers}")]
    private partial void LogReport(long valid, long invalid, long badCheck, long missing, long skipped, string powers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The input ended inside a frame: {Bytes} bytes of an incomplete frame were dropped")]
    private partial void LogTruncated(long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading {Source} failed")]
    private partial void LogFailed(Exception error, string source);
}
