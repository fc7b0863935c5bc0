using System.Buffers;
using System.Buffers.Binary;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.OmegaWatt.Tests.Protocol;

/// <summary>Edge cases, built from frames of the independent clean-6plugs capture (77 bytes each).</summary>
public sealed class FrameDecoderTests
{
    private const int FrameLength = 77;
    private static readonly byte[] Clean = File.ReadAllBytes(Fixtures.Capture("clean-6plugs"));

    private static byte[] CleanFrame(int index) => Clean[(index * FrameLength)..((index + 1) * FrameLength)];

    [Fact]
    public void TryReadFrame_GarbageBeforeSync_SkipsGarbageAndReadsFrame()
    {
        byte[] garbage = [0x00, 0xFE, 0xFD, 0x17, 0xFE, 0xFE, 0xFD, 0xFC];
        ReadOnlySpan<byte> input = [.. garbage, .. CleanFrame(0)];
        var decoder = new FrameDecoder();

        Assert.True(decoder.TryReadFrame(ref input, out var frame));

        Assert.Equal(64000, frame.FrameId);
        Assert.Equal(0, input.Length);
        Assert.Equal(garbage.Length, decoder.Counters.BytesSkipped);
    }

    [Fact]
    public void TryReadFrame_BadCheckByte_CountsItAndReadsTheNextFrame()
    {
        var bad = CleanFrame(0);
        bad[^1] ^= 0x5A;
        ReadOnlySpan<byte> input = [.. bad, .. CleanFrame(1)];
        var decoder = new FrameDecoder();

        Assert.True(decoder.TryReadFrame(ref input, out var frame));

        Assert.Equal(64001, frame.FrameId);
        Assert.Equal(1, decoder.Counters.FramesBadCheck);
        Assert.Equal(FrameLength, decoder.Counters.BytesSkipped);
        Assert.Equal(0, decoder.Counters.FramesValid - 1);
    }

    [Fact]
    public void TryReadFrame_FrameHiddenInsideCutFrame_IsNotSkipped()
    {
        // A frame cut short by a replug: its declared length swallows the start of the next
        // frame, the check byte fails, and the decoder must still find the next frame.
        var cut = CleanFrame(0)[..40];
        ReadOnlySpan<byte> input = [.. cut, .. CleanFrame(1), .. CleanFrame(2)];
        var decoder = new FrameDecoder();
        var ids = new List<int>();

        while (decoder.TryReadFrame(ref input, out var frame))
        {
            ids.Add(frame.FrameId);
        }

        Assert.Equal([64001, 64002], ids);
        Assert.Equal(1, decoder.Counters.FramesBadCheck);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(69)]
    [InlineData(71)]
    [InlineData(406 + 48)]
    [InlineData(0xFFFF)]
    public void TryReadFrame_ImpossibleLength_RejectedWithoutWaitingForBody(int length)
    {
        byte[] header = [0xFE, 0xFD, 0xFC, 0xFB, (byte)length, (byte)(length >> 8)];
        ReadOnlySpan<byte> input = [.. header, .. CleanFrame(0)];
        var decoder = new FrameDecoder();

        Assert.True(decoder.TryReadFrame(ref input, out var frame));

        Assert.Equal(64000, frame.FrameId);
        Assert.Equal(header.Length, decoder.Counters.BytesSkipped);
    }

    [Fact]
    public void TryReadFrame_IncompleteFrame_ReturnsFalseAndKeepsItsBytes()
    {
        var whole = CleanFrame(0);
        ReadOnlySpan<byte> input = whole.AsSpan(0, 50);
        var decoder = new FrameDecoder();

        Assert.False(decoder.TryReadFrame(ref input, out _));

        Assert.Equal(50, input.Length);
        Assert.Equal(0, decoder.Counters.BytesSkipped);
    }

    [Fact]
    public void TryReadFrame_SyncSplitAtChunkEnd_KeepsThePrefix()
    {
        ReadOnlySpan<byte> input = [0x11, 0x22, 0xFE, 0xFD, 0xFC];
        var decoder = new FrameDecoder();

        Assert.False(decoder.TryReadFrame(ref input, out _));

        Assert.Equal(3, input.Length);
        Assert.Equal(2, decoder.Counters.BytesSkipped);
    }

    [Fact]
    public void TryReadFrame_ZeroSamples_IsAcceptedAsInvalidFrame()
    {
        var frame0 = CleanFrame(0);
        BinaryPrimitives.WriteUInt32LittleEndian(frame0.AsSpan(6 + 6), 0);
        frame0[^1] = CheckByte.Compute(frame0.AsSpan(4, 72));
        ReadOnlySpan<byte> input = frame0;
        var decoder = new FrameDecoder();

        Assert.True(decoder.TryReadFrame(ref input, out var frame));

        Assert.False(frame.IsValid);
        Assert.True(float.IsNaN(frame.GetPowerWatts(0)));
        Assert.Equal(1, decoder.Counters.FramesInvalid);
        Assert.Equal(0, decoder.Counters.FramesValid);
    }

    [Fact]
    public void TryReadFrame_FrameIdWrapAndGap_CountsMissingAndUnwrapsSequence()
    {
        var capture = File.ReadAllBytes(Fixtures.Capture("clean-6plugs"));
        // Frames 1535 (id 65535) and 1538 (id 2): two ids (0, 1) are missing across the wrap.
        ReadOnlySpan<byte> input = [.. capture.AsSpan(1535 * FrameLength, FrameLength), .. capture.AsSpan(1538 * FrameLength, FrameLength)];
        var decoder = new FrameDecoder();

        Assert.True(decoder.TryReadFrame(ref input, out var first));
        Assert.Equal(65535, first.FrameId);
        Assert.Equal(0, first.Sequence);
        Assert.True(decoder.TryReadFrame(ref input, out var second));

        Assert.Equal(2, second.FrameId);
        Assert.Equal(3, second.Sequence);
        Assert.Equal(2, decoder.LastGap);
        Assert.Equal(2, decoder.Counters.FramesMissingById);
    }

    [Fact]
    public void TryReadFrame_FrameStraddlingSegments_ReadsItWhole()
    {
        var two = CleanFrame(0).Concat(CleanFrame(1)).ToArray();
        var buffer = Segments.Build(two[..3], two[3..50], two[50..80], two[80..]);
        var decoder = new FrameDecoder();

        Assert.True(decoder.TryReadFrame(ref buffer, out var first));
        Assert.Equal(64000, first.FrameId);
        Assert.True(decoder.TryReadFrame(ref buffer, out var second));
        Assert.Equal(64001, second.FrameId);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Frame_Values_MatchTheFixtureRow()
    {
        var expected = Fixtures.Expected("clean-6plugs").Rows[0];
        ReadOnlySpan<byte> input = CleanFrame(0);

        Assert.True(new FrameDecoder().TryReadFrame(ref input, out var frame));

        Assert.Equal(expected.Values[0], frame.GetVoltageVolts(0), 1e-4);
        Assert.Equal(expected.Values[3 + 2], frame.GetCurrentAmperes(2), 1e-6);
        Assert.Equal(expected.Values[3 + 6 + 2], frame.GetPowerWatts(2), 1e-3);
        Assert.Equal(6, frame.Plugs);
        Assert.Equal(156u, frame.SampleCount);
    }

    [Fact]
    public void TryReadFrame_LargeGarbage_AllocatesNothingPerByte()
    {
        var garbage = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(garbage);
        var decoder = new FrameDecoder();
        var sequence = new ReadOnlySequence<byte>(garbage);
        ReadOnlySpan<byte> warmUp = garbage.AsSpan(0, 1024);
        decoder.TryReadFrame(ref warmUp, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        while (decoder.TryReadFrame(ref sequence, out _))
        {
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"{allocated} bytes allocated for 4 MiB of garbage");
    }
}
