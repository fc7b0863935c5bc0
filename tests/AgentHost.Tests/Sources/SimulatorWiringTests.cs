using Fleet.AgentHost.Sources;
using Fleet.OmegaWatt.Simulation;

namespace Fleet.AgentHost.Tests.Sources;

/// <summary>--simulate --plugs N --wire SOCKET=FILE[:IDLE[:PER_CORE]] as users type them, and the errors they read.</summary>
public sealed class SimulatorWiringTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-wiring-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Parse_WireWithAndWithoutWatts_DefaultsFilled()
    {
        var a = Path.Combine(_directory, "a.load");
        var b = Path.Combine(_directory, "b.load");
        var c = Path.Combine(_directory, "c.load");

        var wiring = SimulatorWiring.Parse(12, [$"4={a}", $"7={b}:120", $"12={c}:80.5:35"]);

        Assert.Empty(wiring.Errors);
        Assert.Equal(
            [new WiredSocket(4, a, 90, 60), new WiredSocket(7, b, 120, 60), new WiredSocket(12, c, 80.5, 35)],
            wiring.Sockets);
    }

    [Fact]
    public void ToOptions_WiredSocketsReadTheirFiles_DemoMachinesElsewhere()
    {
        var file = Path.Combine(_directory, "runner.load");
        LoadSignal.Write(file, 2);

        var options = SimulatorWiring.Parse(12, [$"2={file}:100:50", $"5={file}"]).ToOptions();

        Assert.Equal(12, options.Plugs);
        Assert.Equal(DemoBox.Options.Loads[0], options.Loads[0]);
        Assert.Equal(200, options.Loads[1]!.PowerWatts(0), 6);
        Assert.Equal(DemoBox.Options.Loads[2], options.Loads[2]);
        Assert.Null(options.Loads[3]);
        Assert.Equal(210, options.Loads[4]!.PowerWatts(0), 6);
        Assert.All(options.Loads.Skip(5), Assert.Null);
    }

    [Fact]
    public void ToOptions_NothingWired_TheDemoBox()
    {
        var options = SimulatorWiring.Parse(SimulatorWiring.DefaultPlugs, []).ToOptions();

        Assert.Equal(6, options.Plugs);
        Assert.Equal(DemoBox.Options.Loads, options.Loads.Take(3));
        Assert.Equal(DemoBox.Options.PowerNoiseWatts, options.PowerNoiseWatts);
    }

    [Theory]
    [InlineData(7, new string[0], "--plugs 7: a box has 6 to 48 plugs, a multiple of 6")]
    [InlineData(54, new string[0], "--plugs 54")]
    [InlineData(6, new[] { "7=FILE" }, "socket 7 does not exist on a 6-plug box (add --plugs 12)")]
    [InlineData(6, new[] { "0=FILE" }, "the socket must be a number from 1 to 48")]
    [InlineData(6, new[] { "x=FILE" }, "the socket must be a number from 1 to 48")]
    [InlineData(6, new[] { "FILE" }, "is not SOCKET=FILE[:IDLE_WATTS[:WATTS_PER_CORE]]")]
    [InlineData(6, new[] { "3=" }, "is not SOCKET=FILE")]
    [InlineData(6, new[] { "3=:90" }, "is not SOCKET=FILE")]
    [InlineData(6, new[] { "3=FILE:-5" }, "watts must be a number of 0 or more, not '-5'")]
    [InlineData(6, new[] { "3=FILE", "3=FILE" }, "socket 3 is wired twice")]
    [InlineData(6, new[] { "3=/no/such/dir/x.load" }, "no directory /no/such/dir for the load signal file")]
    public void Parse_Mistakes_ErrorSaysWhatIsWrong(int plugs, string[] wires, string expected)
    {
        var wiring = SimulatorWiring.Parse(plugs, wires.Select(w => w.Replace("FILE", Path.Combine(_directory, "x.load"), StringComparison.Ordinal)).ToList());

        var error = Assert.Single(wiring.Errors);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => wiring.ToOptions());
    }

    [Fact]
    public void TryParseWire_PathWithColons_TrailingNumbersAreWatts()
    {
        var path = Path.Combine(_directory, "a:b.load");

        Assert.True(SimulatorWiring.TryParseWire($"1={path}:95", out var socket, out _));

        Assert.Equal(new WiredSocket(1, path, 95, 60), socket);
    }
}
