using Fleet.Grains.Abstractions.Messages;
using Fleet.Grains.Identification;
using Fleet.Storage.Samples;

namespace Fleet.Grains.Tests.Identification;

/// <summary>Stored frames of a box, as the identifier takes them: per socket, valid frames only, at their times.</summary>
public sealed class BoxSocketPowerTests
{
    [Fact]
    public void FromFrames_TwoChunksWithAnInvalidFrame_PerSocketPointsOfValidFrames()
    {
        var second = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var micro = (second - DateTimeOffset.UnixEpoch).Ticks / 10;
        var first = Chunk(6, [micro, micro + 10_000], [true, false], k => k);
        var next = Chunk(6, [micro + 20_000], [true], k => 100 + k);

        var sockets = BoxSocketPower.FromFrames("box-a", [first, next]);

        Assert.Equal(Enumerable.Range(1, 6).Select(s => new SocketRef("box-a", s)), sockets.Select(s => s.Socket));
        Assert.Equal([(second, 2.0), (second.AddMilliseconds(20), 102.0)], sockets[2].Points);
        Assert.Equal([(second, 5.0), (second.AddMilliseconds(20), 105.0)], sockets[5].Points);
    }

    /// <summary>Frames whose plug p of frame k draws watts(k × plugs + p).</summary>
    private static FrameColumns Chunk(int plugs, long[] times, bool[] valid, Func<int, float> watts)
    {
        var n = times.Length;
        return new FrameColumns(plugs, times, new int[n], valid, new float[3 * n], new float[plugs * n], Enumerable.Range(0, plugs * n).Select(watts).ToArray());
    }
}
