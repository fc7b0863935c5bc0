using Fleet.Storage.Retention;
using Fleet.Storage.Samples;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Applies <see cref="FleetSiloOptions.RawRetentionDays"/>: at start and every hour, drops the
/// raw frames of the days that have left the window. Every silo runs it; dropping is idempotent.
/// A database error is logged and tried again at the next hour, never in a tight loop.
/// </summary>
internal sealed partial class RawRetentionService : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);

    private readonly RawRetention _retention;
    private readonly SampleWriter _writer;
    private readonly IOptions<FleetSiloOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RawRetentionService> _logger;

    public RawRetentionService(RawRetention retention, SampleWriter writer, IOptions<FleetSiloOptions> options, TimeProvider time, ILogger<RawRetentionService> logger)
    {
        _retention = retention;
        _writer = writer;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Value.RawRetentionDays is not int days)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period, _time);
        do
        {
            var today = _time.GetUtcNow().UtcDateTime.Date;
            var horizon = new DateTimeOffset(today.AddDays(-days), TimeSpan.Zero);
            try
            {
                var dropped = await _retention.DropBeforeAsync(horizon, stoppingToken).ConfigureAwait(false);
                if (dropped.Count > 0)
                {
                    _writer.ForgetPartitions();
                    LogDropped(dropped.Count, dropped[0], dropped[^1], days);
                }
            }
            catch (NpgsqlException error)
            {
                LogFailed(error.Message, Period);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Raw retention: dropped the raw frames of {Days} day(s), {First} to {Last} (keeping {RetentionDays} days; rollups stay)")]
    private partial void LogDropped(int days, DateOnly first, DateOnly last, int retentionDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Raw retention could not run ({Reason}); next try in {Period}")]
    private partial void LogFailed(string reason, TimeSpan period);
}
