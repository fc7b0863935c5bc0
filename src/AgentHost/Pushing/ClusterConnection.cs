using Fleet.AgentHost.Hosting;
using Fleet.Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// The agent's Orleans client, connected lazily and again after a failed start, so the agent
/// measures and spools from its first second even when no silo is up yet.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly Action<IClientBuilder> _configure;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IHost? _client;

    public ClusterConnection(Action<IClientBuilder> configure, ILoggerFactory loggerFactory)
    {
        _configure = configure;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The meter grain of <paramref name="boxId"/>; throws while the cluster cannot be reached (callers retry).</summary>
    public async Task<IMeterGrain> GetMeterAsync(string boxId, CancellationToken cancellationToken) =>
        (await GetClientAsync(cancellationToken).ConfigureAwait(false)).GetGrain<IMeterGrain>(boxId);

    /// <summary>The runner grain of <paramref name="machine"/>; throws while the cluster cannot be reached (callers retry).</summary>
    public async Task<IRunnerGrain> GetRunnerAsync(string machine, CancellationToken cancellationToken) =>
        (await GetClientAsync(cancellationToken).ConfigureAwait(false)).GetGrain<IRunnerGrain>(machine);

    private async Task<IClusterClient> GetClientAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null)
            {
                var builder = StaticConfigurationHost.CreateBuilder();
                builder.Logging.ClearProviders();
                builder.Services.AddSingleton(_loggerFactory);
                builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
                builder.UseOrleansClient(client =>
                {
                    _configure(client);
                    client.Services.AddSingleton<IClientConnectionRetryFilter, FailFastConnectionFilter>();
                });
                var client = builder.Build();
                try
                {
                    await client.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    client.Dispose();
                    throw;
                }

                _client = client;
            }

            return _client.Services.GetRequiredService<IClusterClient>();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping a client whose silo is gone may time out; nothing is left to flush.
            }

            _client.Dispose();
        }

        _gate.Dispose();
    }
}
