namespace Fleet.Cli.Local;

/// <summary>What `fleet up` started, saved as stack.json in the data directory so `fleet down` and `fleet status` find it.</summary>
internal sealed record StackState(
    int SiloProcessId,
    int AgentProcessId,
    int HttpPort,
    int SiloPort,
    int GatewayPort,
    int PostgresPort,
    string DataDirectory,
    DateTimeOffset StartedAt,
    DateTimeOffset BoxStart,
    IReadOnlyList<string>? Boxes = null)
{
    public string Url => $"http://127.0.0.1:{HttpPort}";
}
