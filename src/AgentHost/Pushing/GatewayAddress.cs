using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fleet.AgentHost.Pushing;

/// <summary>A gateway as the user names it (<c>--gateway HOST:PORT</c>), resolved when the agent connects.</summary>
public sealed record GatewayAddress(string Host, int Port)
{
    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address));

    public static bool TryParse(string? text, out GatewayAddress gateway)
    {
        gateway = null!;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0 || host.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        gateway = new GatewayAddress(host, port);
        return true;
    }

    /// <summary>Each gateway's address now (an IP as it is, a name through DNS, IPv4 first); throws <see cref="SocketException"/> when a name does not resolve.</summary>
    public static IPEndPoint[] Resolve(IEnumerable<GatewayAddress> gateways)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        return
        [
            .. gateways.Select(g => new IPEndPoint(
                IPAddress.TryParse(g.Host, out var address) ? address : Dns.GetHostAddresses(g.Host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First(),
                g.Port)),
        ];
    }
}
