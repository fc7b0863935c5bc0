using Fleet.OmegaWatt.Protocol;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fleet.Storage.Tests.Samples;

/// <summary>The raw chunk codec gives back exactly what it was given: every bit of every value, time, id and flag.</summary>
public sealed class ChunkCodecTests
{
    /// <summary>Any frames: random bit patterns (NaN payloads, infinities, −0, subnormals), any ids, any increasing times.</summary>
    [Property(MaxTest = 400)]
    public Property AnyFrames_RoundTripBitForBit()
    {
        var frames =
            from plugs in Gen.Elements(0, 6, 12, 36)
            from count in Gen.Choose(1, 130)
            from seed in Gen.Choose(int.MinValue, int.MaxValue)
            from style in Gen.Elements(ValueStyle.AnyBits, ValueStyle.Measured, ValueStyle.Constant)
            select Generate(plugs, count, seed, style);
        return Prop.ForAll(frames.ToArbitrary(), columns => RoundTrips(columns));
    }

    [Fact]
    public void ClockModelFrames_StoreNoTimesOrIds()
    {
        // Consecutive ids 10 ms apart: id steps and time residuals are all zero, and constant
        // values leave only each channel's first value: the whole second (1 500 channel-samples)
        // compresses to a few bytes per channel, under 0.1 B per channel-sample.
        var columns = Generate(6, 100, 7, ValueStyle.Constant, regular: true);
        var data = ChunkCodec.Encode(columns, 0, columns.Count);
        Assert.True(data.Length < 150, $"{data.Length} bytes for 100 constant frames");
        Assert.True(RoundTrips(columns));
    }

    [Fact]
    public void APartOfABlock_RoundTripsFromItsFirstFrame()
    {
        var columns = Generate(6, 120, 11, ValueStyle.Measured);
        var data = ChunkCodec.Encode(columns, 40, 50);
        var decoded = new ChunkFrames(6);
        decoded.Append(data, columns.TimesUnixMicroseconds[40], columns.FrameIds[40], 50);
        Assert.Equal(columns.TimesUnixMicroseconds[40..90], decoded.TimesUnixMicroseconds[..50]);
        Assert.Equal(columns.FrameIds[40..90], decoded.FrameIds[..50]);
        Assert.Equal(Bits(columns.PowersWatts[240..540]), Bits(decoded.PowersWatts[..300]));
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 9, 1, 0 }, "version 9")]
    [InlineData(new byte[] { 1, 200, 1, 0, 0 }, "damaged")]
    public void DamagedOrUnknownChunks_AreRefusedWithAReason(byte[] data, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => new ChunkFrames(6).Append(data, 0, 0, 1));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clean-6plugs")]
    [InlineData("noisy-6plugs")]
    [InlineData("clean-36plugs")]
    public void IndependentCaptures_RoundTripAndCompress(string capture)
    {
        var columns = Capture(capture);
        var channels = FrameLayout.Phases + (2 * columns.Plugs);
        long bytes = 0;
        for (var start = 0; start < columns.Count; start += FrameLayout.FramesPerSecond)
        {
            var count = Math.Min(FrameLayout.FramesPerSecond, columns.Count - start);
            var data = ChunkCodec.Encode(columns, start, count);
            bytes += data.Length;
            var decoded = new ChunkFrames(columns.Plugs);
            decoded.Append(data, columns.TimesUnixMicroseconds[start], columns.FrameIds[start], count);
            Assert.Equal(Bits(columns.VoltagesVolts[(3 * start)..(3 * (start + count))]), Bits(decoded.VoltagesVolts[..(3 * count)]));
            Assert.Equal(Bits(columns.CurrentsAmperes[(columns.Plugs * start)..(columns.Plugs * (start + count))]), Bits(decoded.CurrentsAmperes[..(columns.Plugs * count)]));
            Assert.Equal(Bits(columns.PowersWatts[(columns.Plugs * start)..(columns.Plugs * (start + count))]), Bits(decoded.PowersWatts[..(columns.Plugs * count)]));
            Assert.Equal(columns.Valid[start..(start + count)], decoded.Valid[..count]);
            Assert.Equal(columns.FrameIds[start..(start + count)], decoded.FrameIds[..count]);
            Assert.Equal(columns.TimesUnixMicroseconds[start..(start + count)], decoded.TimesUnixMicroseconds[..count]);
        }

        // f32 values take 4 B raw; the generator's noisy measurements leave ~2.1-2.3 B of entropy.
        var perChannelSample = (double)bytes / (columns.Count * channels);
        Assert.InRange(perChannelSample, 0.1, 2.6);
    }

    private static bool RoundTrips(FrameColumns columns)
    {
        var data = ChunkCodec.Encode(columns, 0, columns.Count);
        var decoded = new ChunkFrames(columns.Plugs);
        decoded.Append(data, columns.TimesUnixMicroseconds[0], columns.FrameIds[0], columns.Count);
        var back = decoded.ToColumns();
        return back.TimesUnixMicroseconds.SequenceEqual(columns.TimesUnixMicroseconds)
            && back.FrameIds.SequenceEqual(columns.FrameIds)
            && back.Valid.SequenceEqual(columns.Valid)
            && Bits(back.VoltagesVolts).SequenceEqual(Bits(columns.VoltagesVolts))
            && Bits(back.CurrentsAmperes).SequenceEqual(Bits(columns.CurrentsAmperes))
            && Bits(back.PowersWatts).SequenceEqual(Bits(columns.PowersWatts));
    }

    private static uint[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToUInt32Bits)];

    private static FrameColumns Generate(int plugs, int count, int seed, ValueStyle style, bool regular = false)
    {
        var random = new Random(seed);
        var times = new long[count];
        var ids = new int[count];
        var valid = new bool[count];
        times[0] = random.NextInt64(-4_000_000_000_000_000, 4_000_000_000_000_000);
        // Any int, and the ends of the range, where a step wraps from int.MaxValue to int.MinValue.
        ids[0] = regular ? 100 : random.Next(4) switch
        {
            0 => int.MaxValue - random.Next(3),
            1 => int.MinValue + random.Next(3),
            _ => random.Next(int.MinValue, int.MaxValue),
        };
        for (var k = 1; k < count; k++)
        {
            // Mostly the clock model; sometimes a gap, a wrap, a jittered import or an arbitrary step.
            var step = regular ? 1 : random.Next(10) switch { 0 => random.Next(2, 50), 1 => -65535, 2 => random.Next(-1000, 1000), _ => 1 };
            ids[k] = unchecked(ids[k - 1] + step);
            times[k] = times[k - 1] + (regular ? FrameLayout.FramePeriodMicroseconds : random.Next(6) switch
            {
                0 => random.Next(1, 3_000_000),
                1 => FrameLayout.FramePeriodMicroseconds + random.Next(-3000, 3000),
                _ => FrameLayout.FramePeriodMicroseconds,
            });
        }

        for (var k = 0; k < count; k++)
        {
            valid[k] = regular || random.Next(20) != 0;
        }

        float Value(int channel) => style switch
        {
            ValueStyle.AnyBits => BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)),
            ValueStyle.Constant => channel * 10.5f,
            _ => (float)((channel * 37.0) + (random.NextDouble() * 2)),
        };

        var voltages = new float[3 * count];
        var currents = new float[plugs * count];
        var powers = new float[plugs * count];
        for (var k = 0; k < count; k++)
        {
            for (var phase = 0; phase < 3; phase++)
            {
                voltages[(3 * k) + phase] = valid[k] ? Value(phase) : float.NaN;
            }

            for (var plug = 0; plug < plugs; plug++)
            {
                currents[(k * plugs) + plug] = valid[k] ? Value(3 + plug) : float.NaN;
                powers[(k * plugs) + plug] = Value(3 + plugs + plug);
            }
        }

        return new FrameColumns(plugs, times, ids, valid, voltages, currents, powers);
    }

    private static SampleBlock Capture(string name) =>
        CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture(name)), "box-codec", DateTimeOffset.UnixEpoch.AddYears(54), framesPerBlock: 1_000_000)[0];

    private enum ValueStyle
    {
        AnyBits,
        Measured,
        Constant,
    }
}
