namespace Fleet.AgentHost.Sources;

/// <summary>How sources that pace themselves in real time (the simulator, a real-time replay) wake up.</summary>
internal static class PacedSource
{
    /// <summary>
    /// Frames due are released together every this often: a timer wake-up per 10 ms frame costs
    /// an agent more than the frames themselves, and a USB adapter delivers in bursts anyway.
    /// </summary>
    public static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(100);
}
