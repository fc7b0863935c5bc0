using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.OmegaWatt.Tests.Simulation;

/// <summary>A simulated socket wired to a runner's load signal file draws idle + watts per core × the cores the file says.</summary>
public sealed class WiredLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-wired-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void FromFile_SignalChanges_PowerFollowsAfterTheReadInterval()
    {
        var path = Path.Combine(_directory, "runner.load");
        LoadSignal.Write(path, 0.5);
        var load = WiredLoad.FromFile(path, idleWatts: 90, wattsPerCore: 60);

        Assert.Equal(120, load.PowerWatts(0), 6);
        LoadSignal.Write(path, 2.25);
        // Within the read interval the last reading stands; then the new value shows.
        Assert.Equal(120, load.PowerWatts(WiredLoad.FileReadIntervalSeconds / 2), 6);
        Assert.Equal(225, load.PowerWatts(WiredLoad.FileReadIntervalSeconds), 6);
    }

    [Fact]
    public void FromFile_InABoxSimulator_FramesCarryTheWiredPower()
    {
        var path = Path.Combine(_directory, "runner.load");
        LoadSignal.Write(path, 1);
        var simulator = new BoxSimulator(new BoxSimulatorOptions { Plugs = 6, Loads = [null, WiredLoad.FromFile(path, 90, 60)] });
        var before = Decode(simulator.Capture(10));
        LoadSignal.Write(path, 3);
        var after = Decode(simulator.Capture(10));

        Assert.All(before, f => Assert.Equal(150, f[1], 3));
        Assert.All(after, f => Assert.Equal(270, f[1], 3));
        Assert.All(before.Concat(after), f => Assert.Equal(0, f[0]));
    }

    [Fact]
    public void ReadCores_MissingPartialOrGarbledFile_LastGoodValueAndNoThrow()
    {
        var path = Path.Combine(_directory, "runner.load");
        var signal = new LoadSignal(path);

        Assert.Equal(0, signal.ReadCores());
        LoadSignal.Write(path, 1.5);
        Assert.Equal(1.5, signal.ReadCores());
        File.WriteAllText(path, string.Empty);
        Assert.Equal(1.5, signal.ReadCores());
        File.WriteAllText(path, "2.");
        Assert.Equal(2, signal.ReadCores());
        File.WriteAllText(path, "-");
        Assert.Equal(2, signal.ReadCores());
        File.WriteAllText(path, "-3");
        Assert.Equal(2, signal.ReadCores());
        File.WriteAllText(path, "NaN");
        Assert.Equal(2, signal.ReadCores());
        File.Delete(path);
        Assert.Equal(2, signal.ReadCores());
        Assert.Equal(0, new LoadSignal(Path.Combine(_directory, "no-such-dir", "x")).ReadCores());
    }

    [Fact]
    public void Write_ReplacesAtomically_NoTemporaryFileLeft()
    {
        var path = Path.Combine(_directory, "runner.load");
        LoadSignal.Write(path, 0.25);
        LoadSignal.Write(path, 3.125);

        Assert.Equal("3.125\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void InMemory_FollowsTheFunction()
    {
        var load = new WiredLoad(t => t < 1 ? 0 : 2, idleWatts: 100, wattsPerCore: 50);

        Assert.Equal(100, load.PowerWatts(0.5));
        Assert.Equal(200, load.PowerWatts(1.5));
    }

    private static List<float[]> Decode(byte[] capture)
    {
        var decoder = new FrameDecoder();
        ReadOnlySpan<byte> buffer = capture;
        var frames = new List<float[]>();
        while (decoder.TryReadFrame(ref buffer, out var frame))
        {
            frames.Add([frame.GetPowerWatts(0), frame.GetPowerWatts(1)]);
        }

        return frames;
    }
}
