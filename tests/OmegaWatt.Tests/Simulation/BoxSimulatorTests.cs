using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.OmegaWatt.Tests.Simulation;

public sealed class BoxSimulatorTests
{
    [Fact]
    public void Capture_KnownLoads_DecodesToTheProfilesEnergy()
    {
        var simulator = new BoxSimulator(new BoxSimulatorOptions
        {
            Plugs = 6,
            FirstFrameId = 65_000,
            Loads = [new ConstantLoad(95), new SquareWaveLoad(110, 270, PeriodSeconds: 4), new RampLoad(180, 12)],
        });
        var capture = simulator.Capture(1_000);

        var joules = new double[6];
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> buffer = capture;
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            for (var plug = 0; plug < 6; plug++)
            {
                joules[plug] += frame.GetPowerWatts(plug) * 0.010;
            }
        }

        // 10 s: 95 W constant; square wave 6 s at 270 W (0-2, 4-6, 8-10) and 4 s at 110 W; ramp 180 → 300 W (mean 240 W, minus half a step).
        Assert.Equal(1_000, decoder.Counters.FramesValid);
        Assert.Equal(950.0, joules[0], 0.01);
        Assert.Equal(2060.0, joules[1], 0.01);
        Assert.Equal(2400.0 - (12 * 0.010 * 10 / 2), joules[2], 0.05);
        Assert.Equal(0.0, joules[3]);
    }

    [Fact]
    public void SkipFrames_ThenNextFrame_DecoderCountsTheGap()
    {
        var simulator = new BoxSimulator(new BoxSimulatorOptions { Plugs = 12, FirstFrameId = 65_534 });
        var bytes = new byte[3 * simulator.FrameLength];
        var offset = simulator.WriteNextFrame(bytes);
        simulator.SkipFrames(4);
        offset += simulator.WriteNextFrame(bytes.AsSpan(offset));
        simulator.WriteNextFrame(bytes.AsSpan(offset), withData: false);

        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> buffer = bytes;
        var ids = new List<int>();
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            ids.Add(frame.FrameId);
        }

        Assert.Equal([65534, 3, 4], ids);
        Assert.Equal(4, decoder.Counters.FramesMissingById);
        Assert.Equal(1, decoder.Counters.FramesInvalid);
        Assert.Equal(12, decoder.Counters.Plugs);
    }
}
