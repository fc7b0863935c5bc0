using Fleet.Grains.Abstractions.Messages;
using Fleet.Storage.Export;
using Fleet.Storage.Samples;

namespace Fleet.Grains.Identification;

/// <summary>
/// Every socket's power of a box over an identification window, in the shape
/// <see cref="SocketIdentifier.Identify"/> takes: one read of the box's stored frames (all its
/// sockets at once, 30 chunks for a 30 s pattern) rather than one query per socket.
/// </summary>
public static class BoxSocketPower
{
    /// <summary>Reads the box's frames in [from, to) through <paramref name="reader"/>.</summary>
    public static async Task<IReadOnlyList<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)>> ReadAsync(
        SampleReader reader, string boxId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var chunks = new List<FrameColumns>();
        await foreach (var chunk in reader.ReadAsync(boxId, from, to, cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(chunk);
        }

        return FromFrames(boxId, chunks);
    }

    /// <summary>Each socket's valid frames at their times; a frame with no data (n = 0) is no point, not 0 W.</summary>
    public static IReadOnlyList<(SocketRef Socket, IReadOnlyList<(DateTimeOffset At, double Watts)> Points)> FromFrames(string boxId, IEnumerable<FrameColumns> chunks)
    {
        ArgumentNullException.ThrowIfNull(boxId);
        ArgumentNullException.ThrowIfNull(chunks);
        var sockets = new List<List<(DateTimeOffset, double)>>();
        foreach (var chunk in chunks)
        {
            // A box's plug count is fixed; a longer chunk (a module added) adds sockets.
            while (sockets.Count < chunk.Plugs)
            {
                sockets.Add([]);
            }

            for (var k = 0; k < chunk.Count; k++)
            {
                if (!chunk.Valid[k])
                {
                    continue;
                }

                var at = DateTimeOffset.UnixEpoch.AddTicks(chunk.TimesUnixMicroseconds[k] * TimeSpan.TicksPerMicrosecond);
                for (var plug = 0; plug < chunk.Plugs; plug++)
                {
                    sockets[plug].Add((at, chunk.PowersWatts[(k * chunk.Plugs) + plug]));
                }
            }
        }

        return sockets.Select((points, plug) => (new SocketRef(boxId, plug + 1), (IReadOnlyList<(DateTimeOffset At, double Watts)>)points)).ToList();
    }
}
