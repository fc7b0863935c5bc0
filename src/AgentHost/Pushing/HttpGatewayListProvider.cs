using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Api.Contracts.Json;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;

namespace Fleet.AgentHost.Pushing;

/// <summary>
/// The cluster's gateways as the silos' HTTP API lists them (<c>GET /api/gateways</c>), asked of
/// each silo URL in turn and again every half minute, so an agent follows silos that come, go or
/// move without holding database credentials. When no silo answers, the last list it had stays.
/// </summary>
internal sealed partial class HttpGatewayListProvider : IGatewayListProvider, IDisposable
{
    private readonly IReadOnlyList<Uri> _silos;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private IList<Uri> _last = [];

    public HttpGatewayListProvider(IReadOnlyList<Uri> silos, HttpMessageHandler handler, ILogger logger)
    {
        _silos = silos;
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        _logger = logger;
    }

    public TimeSpan MaxStaleness => TimeSpan.FromSeconds(30);

    [Obsolete("Orleans no longer reads it: every provider is updatable.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        foreach (var silo in _silos)
        {
            try
            {
                var gateways = await _http.GetFromJsonAsync(new Uri(silo, "/api/gateways"), FleetJsonContext.Default.GatewayResponseArray).ConfigureAwait(false) ?? [];
                if (gateways.Length > 0)
                {
                    _last = [.. gateways.Select(g => new IPEndPoint(IPAddress.Parse(g.Host), g.Port).ToGatewayUri())];
                    return _last;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException or FormatException)
            {
                LogNotListed(silo, error.Message);
            }
        }

        return _last;
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "No gateway list from {Silo}: {Reason}")]
    private partial void LogNotListed(Uri silo, string reason);
}
