using Fleet.AgentHost.Pushing;

namespace Fleet.AgentHost.Tests.Pushing;

/// <summary>--gateway HOST:PORT as users type it, and which gateways are on this host (the only ones allowed without TLS).</summary>
public sealed class GatewayAddressTests
{
    [Theory]
    [InlineData("silo-1.lab:30000", "silo-1.lab", 30000, false)]
    [InlineData("127.0.0.1:30001", "127.0.0.1", 30001, true)]
    [InlineData("localhost:30000", "localhost", 30000, true)]
    [InlineData("[::1]:30000", "::1", 30000, true)]
    [InlineData("10.0.0.7:1", "10.0.0.7", 1, false)]
    public void TryParse_HostAndPort_Parsed(string text, string host, int port, bool loopback)
    {
        Assert.True(GatewayAddress.TryParse(text, out var gateway));

        Assert.Equal(new GatewayAddress(host, port), gateway);
        Assert.Equal(loopback, gateway.IsLoopback);
    }

    [Theory]
    [InlineData("silo-1")]
    [InlineData(":30000")]
    [InlineData("silo-1:0")]
    [InlineData("silo-1:70000")]
    [InlineData("silo-1:port")]
    [InlineData("silo 1:30000")]
    [InlineData(null)]
    public void TryParse_NotHostAndPort_Refused(string? text)
    {
        Assert.False(GatewayAddress.TryParse(text, out _));
    }

    [Fact]
    public void Resolve_NameAndAddress_IPv4FirstForNames()
    {
        var endpoints = GatewayAddress.Resolve([new GatewayAddress("localhost", 30000), new GatewayAddress("127.0.0.2", 30001)]);

        Assert.Equal("127.0.0.1:30000", endpoints[0].ToString());
        Assert.Equal("127.0.0.2:30001", endpoints[1].ToString());
    }
}
