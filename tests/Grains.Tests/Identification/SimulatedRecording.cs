using Fleet.Grains.Abstractions.Messages;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.Grains.Tests.Identification;

/// <summary>
/// A simulated box's frames decoded back into per-socket power, frame k at origin + k × 10 ms:
/// what <c>SeriesQueries.GetSocketFramesAsync</c> returns for each socket, without a cluster.
/// </summary>
internal static class SimulatedRecording
{
    public static IReadOnlyList<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)> Record(
        string boxId, BoxSimulatorOptions options, DateTimeOffset origin, double seconds)
    {
        var capture = new BoxSimulator(options).Capture((int)Math.Round(seconds * FrameLayout.FramesPerSecond));
        var sockets = Enumerable.Range(0, options.Plugs).Select(_ => new List<(DateTimeOffset, double)>()).ToList();
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> buffer = capture;
        var k = 0;
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            var at = origin + (FrameLayout.FramePeriod * k++);
            for (var plug = 0; plug < options.Plugs; plug++)
            {
                sockets[plug].Add((at, frame.GetPowerWatts(plug)));
            }
        }

        return sockets.Select((points, plug) => (new SocketRef(boxId, plug + 1), (IReadOnlyList<(DateTimeOffset, double)>)points)).ToList();
    }
}
