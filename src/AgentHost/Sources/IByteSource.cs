using System.IO.Pipelines;

namespace Fleet.AgentHost.Sources;

/// <summary>Where a box's bytes come from: a serial port, a capture file, stdin or the simulator.</summary>
public interface IByteSource
{
    /// <summary>Human-readable origin for logs, e.g. <c>serial /dev/ttyUSB0</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Writes bytes into <paramref name="output"/> until the source ends (end of file) or the
    /// token is cancelled. Does not complete the writer: the caller owns it.
    /// </summary>
    Task RunAsync(PipeWriter output, CancellationToken cancellationToken);
}
