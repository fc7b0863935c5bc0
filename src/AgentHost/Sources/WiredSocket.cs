namespace Fleet.AgentHost.Sources;

/// <summary>
/// One <c>--wire SOCKET=FILE[:IDLE_WATTS[:WATTS_PER_CORE]]</c>: socket <paramref name="Socket"/>
/// (1-based) of the simulated box draws <paramref name="IdleWatts"/> plus
/// <paramref name="WattsPerCore"/> per core the runner's load signal file reports.
/// </summary>
public sealed record WiredSocket(int Socket, string File, double IdleWatts, double WattsPerCore);
