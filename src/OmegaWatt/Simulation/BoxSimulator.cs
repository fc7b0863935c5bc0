using Fleet.OmegaWatt.Protocol;

namespace Fleet.OmegaWatt.Simulation;

/// <summary>
/// Produces the byte stream of a box with known loads: for demos, load tests and agent tests.
/// Decoder tests use the independent fixtures instead, so an encoder bug cannot hide a decoder bug.
/// </summary>
public sealed class BoxSimulator
{
    private readonly BoxSimulatorOptions _options;
    private readonly Random _random;
    private readonly float[] _volts = new float[FrameLayout.Phases];
    private readonly float[] _currents;
    private readonly float[] _powers;
    private ushort _frameId;

    public BoxSimulator(BoxSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!FrameLayout.IsValidPlugCount(options.Plugs))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Plugs, "Plugs must be a multiple of 6 up to 48.");
        }

        if (options.Loads.Count > options.Plugs)
        {
            throw new ArgumentException($"{options.Loads.Count} loads for {options.Plugs} plugs.", nameof(options));
        }

        _options = options;
        _random = new Random(options.Seed);
        _currents = new float[options.Plugs];
        _powers = new float[options.Plugs];
        _frameId = options.FirstFrameId;
    }

    public int FrameLength => FrameLayout.FrameLength(_options.Plugs);

    /// <summary>Frame periods elapsed since the first frame, emitted or skipped.</summary>
    public long Sequence { get; private set; }

    public double ElapsedSeconds => Sequence * FrameLayout.FramePeriodSeconds;

    /// <summary>The power socket <paramref name="socket"/> (1-based) draws at a time, without noise.</summary>
    public double ProfileWatts(int socket, double seconds) =>
        socket <= _options.Loads.Count && _options.Loads[socket - 1] is { } load ? load.PowerWatts(seconds) : 0.0;

    /// <summary>Encodes the next frame into <paramref name="destination"/> and returns its length.</summary>
    public int WriteNextFrame(Span<byte> destination, bool withData = true)
    {
        var t = ElapsedSeconds;
        _volts[0] = (float)_options.VoltageVolts;
        for (var plug = 0; plug < _options.Plugs; plug++)
        {
            var watts = ProfileWatts(plug + 1, t);
            if (watts != 0 && _options.PowerNoiseWatts > 0)
            {
                watts += _options.PowerNoiseWatts * NextGaussian();
            }

            _powers[plug] = (float)watts;
            // A resistive-ish load with a power factor of about 0.95.
            _currents[plug] = (float)(Math.Abs(watts) / _options.VoltageVolts / 0.95);
        }

        var delta = (uint)_random.Next(0, int.MaxValue / 50);
        var length = FrameEncoder.Write(destination, _frameId, delta, withData ? _options.SamplesPerFrame : 0, _volts, _currents, _powers);
        Advance(1);
        return length;
    }

    /// <summary>The box loses frames: ids and time move on, nothing is sent.</summary>
    public void SkipFrames(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Advance(count);
    }

    /// <summary>A capture of <paramref name="frames"/> consecutive frames, as one array.</summary>
    public byte[] Capture(int frames)
    {
        var bytes = new byte[frames * FrameLength];
        var offset = 0;
        for (var k = 0; k < frames; k++)
        {
            offset += WriteNextFrame(bytes.AsSpan(offset));
        }

        return bytes;
    }

    private void Advance(int frames)
    {
        _frameId = unchecked((ushort)(_frameId + frames));
        Sequence += frames;
    }

    private double NextGaussian()
    {
        // Box–Muller: Random has no Gaussian of its own.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
