namespace Fleet.Silo.Security;

/// <summary>Says at start, once, what a silo in development mode trusts, so nobody runs one in a lab by mistake.</summary>
internal sealed partial class DevelopmentModeWarning : IHostedService
{
    private readonly bool _openApi;
    private readonly bool _openCluster;
    private readonly ILogger<DevelopmentModeWarning> _logger;

    public DevelopmentModeWarning(bool openApi, bool openCluster, ILogger<DevelopmentModeWarning> logger)
    {
        _openApi = openApi;
        _openCluster = openCluster;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_openApi)
        {
            LogOpenApi();
        }

        if (_openCluster)
        {
            LogOpenCluster();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No bootstrap API token (Fleet__ApiToken): development mode, loopback clients are served as admin without a token and others are refused (SECURITY.md)")]
    private partial void LogOpenApi();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No TLS files (Fleet__Tls__*): development mode, the silo and gateway ports listen on loopback only and any local agent may write any box (SECURITY.md)")]
    private partial void LogOpenCluster();
}
