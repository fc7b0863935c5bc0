using Fleet.AgentHost.Ingest;
using Fleet.AgentHost.Sources;
using Fleet.AgentHost.Tests.Support;
using Fleet.OmegaWatt.Protocol;
using Fleet.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.AgentHost.Tests.Sources;

/// <summary>Real serial I/O at 921600 baud through a socat pty pair, including an unplug and replug.</summary>
public sealed class SerialPortSourceTests
{
    private const int FrameLength = 77;

    [Fact]
    public async Task RunAsync_NoisyCaptureThroughPty_DecodesExactlyTheExpectedFrames()
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        var capture = File.ReadAllBytes(expected.CapturePath);
        using var pty = new SocatPtyPair();
        var source = new SerialPortSource(new SerialPortOptions { PortName = pty.PortPath }, NullLogger<SerialPortSource>.Instance);
        var handler = new CollectingHandler();
        var decoder = new FrameDecoder();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reading = SourceReader.RunAsync(source, decoder, handler, stop.Token);
        SocatPtyPair.WaitUntil(() => source.IsConnected, "the port to open");

        // Odd-sized writes, so frames are split across reads the way USB delivers them.
        var random = new Random(3);
        for (var offset = 0; offset < capture.Length;)
        {
            var length = Math.Min(random.Next(1, 5000), capture.Length - offset);
            pty.Write(capture.AsSpan(offset, length));
            offset += length;
        }

        SocatPtyPair.WaitUntil(() => handler.Count == expected.Rows.Count, $"{expected.Rows.Count} frames");
        await stop.CancelAsync();
        await reading;

        Assert.Equal(expected.Rows.Select(r => r.FrameId), handler.Frames.Select(f => f.FrameId));
        Assert.Equal(expected.FramesValid, decoder.Counters.FramesValid);
        Assert.Equal(expected.FramesInvalid, decoder.Counters.FramesInvalid);
        Assert.Equal(expected.FramesBadCrc, decoder.Counters.FramesBadCheck);
        Assert.Equal(expected.FramesMissingById, decoder.Counters.FramesMissingById);
        for (var k = 0; k < expected.Rows.Count; k++)
        {
            if (expected.Rows[k].IsOk)
            {
                Assert.Equal(expected.Rows[k].Values[3 + 6], handler.Frames[k].FirstPowerWatts, 1e-3);
            }
        }
    }

    [Fact]
    public async Task RunAsync_PortUnpluggedAndReplugged_ResumesWithoutLosingAFrame()
    {
        var expected = Fixtures.Expected("clean-6plugs");
        var capture = File.ReadAllBytes(expected.CapturePath);
        using var pty = new SocatPtyPair();
        var source = new SerialPortSource(
            new SerialPortOptions { PortName = pty.PortPath, ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
            NullLogger<SerialPortSource>.Instance);
        var handler = new CollectingHandler();
        var decoder = new FrameDecoder();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reading = SourceReader.RunAsync(source, decoder, handler, stop.Token);
        SocatPtyPair.WaitUntil(() => source.IsConnected, "the port to open");

        // The box side closes and reopens (a writer that comes and goes): the port stays.
        pty.Write(capture.AsSpan(0, 1000 * FrameLength));
        pty.Write(capture.AsSpan(1000 * FrameLength, 1000 * FrameLength));
        SocatPtyPair.WaitUntil(() => handler.Count == 2000, "2000 frames before the unplug");

        // Unplug: the port disappears; the source must notice, wait, and reopen it when it is back.
        pty.Unplug();
        SocatPtyPair.WaitUntil(() => !source.IsConnected, "the source to notice the unplug");
        await Task.Delay(300);
        pty.Replug();
        SocatPtyPair.WaitUntil(() => source.IsConnected, "the source to reopen the port");
        pty.Write(capture.AsSpan(2000 * FrameLength));
        SocatPtyPair.WaitUntil(() => handler.Count == 3000, "all 3000 frames");
        await stop.CancelAsync();
        await reading;

        Assert.Equal(1, source.Reconnects);
        Assert.Equal(expected.Rows.Select(r => r.FrameId), handler.Frames.Select(f => f.FrameId));
        Assert.Equal(0, decoder.Counters.FramesMissingById);
        Assert.Equal(0, decoder.Counters.BytesSkipped);
    }

    [Fact]
    public async Task RunAsync_PortMissingAtStart_WaitsForItToAppear()
    {
        var expected = Fixtures.Expected("clean-36plugs");
        using var pty = new SocatPtyPair();
        pty.Unplug();
        var source = new SerialPortSource(
            new SerialPortOptions { PortName = pty.PortPath, ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(100) },
            NullLogger<SerialPortSource>.Instance);
        var handler = new CollectingHandler();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reading = SourceReader.RunAsync(source, new FrameDecoder(), handler, stop.Token);
        await Task.Delay(300);
        Assert.False(source.IsConnected);

        pty.Replug();
        SocatPtyPair.WaitUntil(() => source.IsConnected, "the port to open once it exists");
        pty.Write(File.ReadAllBytes(expected.CapturePath));
        SocatPtyPair.WaitUntil(() => handler.Count == expected.Rows.Count, "all frames");
        await stop.CancelAsync();
        await reading;

        Assert.Equal(0, source.Reconnects);
        Assert.Equal(expected.Rows.Select(r => r.FrameId), handler.Frames.Select(f => f.FrameId));
    }

    [Fact]
    public void Open_NoSuchDevice_SaysToCheckTheBox()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-no-tty-{Guid.NewGuid():N}");

        var error = Assert.Throws<FileNotFoundException>(() => TtyPort.Open(path, 921_600));

        Assert.Equal($"{path} does not exist (is the box plugged in?)", error.Message);
    }

    [Fact]
    public void Open_NotATerminal_SaysWhatFailed()
    {
        var path = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<IOException>(() => TtyPort.Open(path, 921_600));

            Assert.StartsWith($"cannot lock {path}: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
