namespace Fleet.AgentHost.Timing;

/// <summary>How well frame times track the host clock.</summary>
/// <param name="OffsetSeconds">Smallest recent (receipt − model) time: the USB and scheduling latency floor.</param>
/// <param name="JitterSeconds">Spread of recent (receipt − model) times: what raw receipt stamps would have added.</param>
/// <param name="Reanchors">How often the model was reset after a gap or a clock jump.</param>
public sealed record ClockHealth(double OffsetSeconds, double JitterSeconds, int Reanchors);
