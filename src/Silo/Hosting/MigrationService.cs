using Fleet.Storage.Migrations;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Fleet.Silo.Hosting;

/// <summary>
/// Brings the database schema up to date before Orleans starts (its AdoNet providers need
/// their tables). Registered before the silo so it runs first; waits for a database that is
/// still starting (containers) for up to a minute, then fails start-up with the reason.
/// </summary>
internal sealed partial class MigrationService : IHostedService
{
    private readonly MigrationRunner _runner;
    private readonly ILogger<MigrationService> _logger;
    private readonly ResiliencePipeline _retry;

    public MigrationService(MigrationRunner runner, ILogger<MigrationService> logger)
    {
        _runner = runner;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient || e.InnerException is System.Net.Sockets.SocketException),
                MaxRetryAttempts = 20,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    LogWaiting(args.Outcome.Exception?.Message, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await _retry.ExecuteAsync(async token => await _runner.MigrateAsync(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        LogUpToDate(applied.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL not reachable yet ({Reason}); retrying in {Delay}")]
    private partial void LogWaiting(string? reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema up to date ({Applied} migrations applied now)")]
    private partial void LogUpToDate(int applied);
}
