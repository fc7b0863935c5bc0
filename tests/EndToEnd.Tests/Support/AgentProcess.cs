namespace Fleet.EndToEnd.Tests.Support;

/// <summary>A real agent process replaying a capture into the cluster as one box.</summary>
internal static class AgentProcess
{
    public static ManagedProcess Replay(string capture, string box, DateTimeOffset start, int gatewayPort, string spool, string rate = "max", params string[] extra) =>
        Replay(capture, box, start, gatewayPort, spool, new Dictionary<string, string>(), rate, extra);

    public static ManagedProcess Replay(string capture, string box, DateTimeOffset start, int gatewayPort, string spool, IDictionary<string, string> environment, string rate = "max", params string[] extra) =>
        new(Binaries.Agent, [
            "--replay", capture, "--box", box, "--start", start.ToString("O"), "--rate", rate,
            "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cluster-id", "e2e", "--spool", spool, "--report-every", "1", .. extra,
        ], environment);
}
