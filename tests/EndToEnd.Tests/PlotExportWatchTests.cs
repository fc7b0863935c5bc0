using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Fleet.EndToEnd.Tests.Support;
using Fleet.OmegaWatt.Csv;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// `fleet plot`, `fleet export` and `fleet watch` run as processes against a real silo on
/// PostgreSQL fed by a replayed capture (and, for watch, a simulated box streaming in real time).
/// </summary>
public sealed class PlotExportWatchTests : IClassFixture<PlotExportWatchTests.LocalCluster>, IDisposable
{
    private static readonly DateTimeOffset Start = LocalCluster.Start;
    private readonly ExpectedCapture _noisy = Fixtures.Expected("noisy-6plugs");
    private readonly LocalCluster _cluster;
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-plot-").FullName;

    public PlotExportWatchTests(LocalCluster cluster) => _cluster = cluster;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Plot_MachinePng_HasTheSizeAndDrawsTheLine()
    {
        var path = Path.Combine(_directory, "srv-a.png");

        var result = await FleetAsync("plot", "--machine", "srv-a", "--from", Iso(Start), "--to", Iso(Start.AddMinutes(1)), "--out", path, "--width", "1000", "--height", "500", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var summary = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(0.01, summary.GetProperty("step_seconds").GetDouble());
        Assert.Equal(_noisy.FramesValid, summary.GetProperty("lines")[0].GetProperty("points").GetInt32());
        var image = Png.Read(path);
        Assert.Equal((1000, 500), (image.Width, image.Height));
        var pixels = image.Pixels().ToList();
        Assert.True(pixels.Distinct().Count() > 50, "too few colours: a blank image");
        var notWhite = pixels.Count(p => p.R < 245 || p.G < 245 || p.B < 245);
        Assert.True(notWhite > pixels.Count / 50, $"only {notWhite} of {pixels.Count} pixels are drawn");

        // The first line's colour (#1f77b4, the bold moving average) covers a real stretch of the plot.
        var line = pixels.Count(p => Near(p, 0x1f, 0x77, 0xb4, 12));
        Assert.True(line > 1000, $"the moving average is {line} pixels");
    }

    [Fact]
    public async Task Plot_TwoMachinesSvg_ValidXmlWithTheirNames()
    {
        var path = Path.Combine(_directory, "both.svg");

        var result = await FleetAsync("plot", "--machine", "srv-a", "--machine", "srv-b", "--from", Iso(Start), "--to", Iso(Start.AddSeconds(30)), "--out", path);

        Assert.True(result.ExitCode == 0, result.Error);
        var svg = XDocument.Load(path).Root!;
        Assert.Equal("svg", svg.Name.LocalName);
        Assert.Equal("1600", svg.Attribute("width")!.Value);
        Assert.Equal("900", svg.Attribute("height")!.Value);
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains(texts, t => t.Contains("srv-a", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("srv-b", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("power (W)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plot_ExperimentWithPhases_ShadesThemAndZoomsIntoOne()
    {
        var whole = Path.Combine(_directory, "exp.png");
        var zoom = Path.Combine(_directory, "epoch-2.png");

        var all = await FleetAsync("plot", _cluster.ExperimentId, "--out", whole, "--json");
        var one = await FleetAsync("plot", _cluster.ExperimentId, "--phase", "epoch-2", "--out", zoom, "--json");

        Assert.True(all.ExitCode == 0, all.Error);
        Assert.True(one.ExitCode == 0, one.Error);
        var summary = JsonDocument.Parse(all.Output).RootElement;
        Assert.Equal(["epoch-1", "epoch-2"], summary.GetProperty("phases").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["srv-a", "srv-b"], summary.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("label").GetString()));
        Assert.Equal(Start.AddSeconds(1), summary.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Start.AddSeconds(25), summary.GetProperty("to").GetDateTimeOffset());

        // Phases are shaded: epoch-1 in light yellow (#fdd835 at 18 % on white), epoch-2 in light blue (#4fc3f7).
        var pixels = Png.Read(whole).Pixels().ToList();
        Assert.True(pixels.Count(p => Near(p, 254, 248, 219, 4)) > 20_000, "epoch-1 is not shaded");
        Assert.True(pixels.Count(p => Near(p, 223, 244, 254, 4)) > 20_000, "epoch-2 is not shaded");

        var zoomed = JsonDocument.Parse(one.Output).RootElement;
        Assert.Equal(Start.AddSeconds(11), zoomed.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Start.AddSeconds(25), zoomed.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(["epoch-2"], zoomed.GetProperty("phases").EnumerateArray().Select(p => p.GetString()));
        var frames = _noisy.Rows.Count(r => r.IsOk && Steps(r.FrameId) >= 1100 && Steps(r.FrameId) < 2500);
        Assert.Equal(frames, zoomed.GetProperty("lines")[0].GetProperty("points").GetInt32());
    }

    [Fact]
    public async Task Plot_WindowOverAnHour_FallsBackToPerSecondMeansAndSaysSo()
    {
        var path = Path.Combine(_directory, "long.png");

        var result = await FleetAsync("plot", "--box", "box-p", "--socket", "3", "--from", Iso(Start.AddHours(-1)), "--to", Iso(Start.AddHours(1)), "--out", path, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("plotting 1 s means", result.Error, StringComparison.Ordinal);
        var summary = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(1, summary.GetProperty("step_seconds").GetDouble());

        // The capture covers 30 s (frame ids 64000 … about 67000): one point per second with frames.
        Assert.InRange(summary.GetProperty("lines")[0].GetProperty("points").GetInt32(), 30, 31);
        Assert.Equal((1600, 900), (Png.Read(path).Width, Png.Read(path).Height));
    }

    [Fact]
    public async Task Export_ToFile_ParsesWithEveryStoredFrameAndStdoutHasTheSameBytes()
    {
        var path = Path.Combine(_directory, "box-p.csv");
        string[] window = ["export", "--box", "box-p", "--from", Iso(Start.AddMinutes(-1)), "--to", Iso(Start.AddMinutes(1))];

        var toFile = await FleetAsync([.. window, "-o", path]);
        var toStdout = await FleetBytesAsync(window);

        Assert.True(toFile.ExitCode == 0, toFile.Error);
        Assert.Equal(0, toStdout.ExitCode);
        Assert.Empty(toFile.Output);
        Assert.Empty(toStdout.Error);
        Assert.Contains($"{_noisy.FramesValid + _noisy.FramesInvalid} rows", toFile.Error, StringComparison.Ordinal);
        using (var reader = new StreamReader(path))
        {
            var csv = new VendorCsvReader(reader);
            var records = csv.ReadRecords().ToList();
            Assert.Equal(0, csv.SkippedLines);
            Assert.Equal(6, csv.Plugs);
            Assert.Equal(_noisy.FramesValid, records.Count(r => r.IsOk));
            Assert.Equal(_noisy.FramesInvalid, records.Count(r => !r.IsOk));
            var joules = records.Where(r => r.IsOk).Sum(r => r.PowersWatts[2] * 0.010);
            Assert.Equal(_noisy.EnergyJoules[2], joules, 1e-4 * _noisy.EnergyJoules[2]);
            Assert.Equal(Start.ToUnixTimeMilliseconds() * 1_000_000, records[0].UnixTimeNanoseconds);
        }

        Assert.Equal(await File.ReadAllBytesAsync(path), toStdout.Output);
    }

    [Fact]
    public async Task Watch_SimulatedBoxStreaming_ShowsItsRateAndLoads()
    {
        var launched = Stopwatch.StartNew();
        using var agent = new ManagedProcess(Binaries.Agent, [
            "--simulate", "--box", "sim-w", "--gateway-port", _cluster.Silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-id", "e2e", "--spool", Path.Combine(_directory, "spool"), "--report-every", "1",
        ], new Dictionary<string, string>());
        Assert.Equal(0, (await FleetAsync("machines", "add", "sim-ramp", "--socket", "sim-w:3", "--from", "2020-01-01T00:00:00Z", "--force")).ExitCode);

        // Twelve seconds of frames stored: the 10 s mean is full and the rate is measured over whole seconds.
        await StoredFrames.WaitForAsync(_cluster.DataSource, "sim-w", 1200, () => agent.Output, TimeSpan.FromMinutes(2));
        var first = await FleetJsonAsync("watch", "--box", "sim-w", "--once", "--json");
        // Then at least three seconds more.
        await StoredFrames.WaitForAsync(_cluster.DataSource, "sim-w", await StoredFrames.CountAsync(_cluster.DataSource, "sim-w") + 300, () => agent.Output, TimeSpan.FromMinutes(1));
        var second = await FleetJsonAsync("watch", "--box", "sim-w", "--once", "--json");
        var text = await FleetAsync("watch", "--once");
        var byMachine = await FleetJsonAsync("watch", "--machine", "sim-ramp", "--once", "--json");
        var elapsedSeconds = launched.Elapsed.TotalSeconds;

        Assert.False(agent.HasExited, agent.Output);
        var box = Assert.Single(first.GetProperty("boxes").EnumerateArray());
        Assert.Equal("sim-w", box.GetProperty("box").GetString());
        Assert.InRange(box.GetProperty("frames_per_second").GetDouble(), 90, 110);
        Assert.Equal(0, box.GetProperty("frames_missing_by_id").GetInt64());
        // Live: about a second behind (a batch per second); a busy machine adds a little.
        Assert.InRange(box.GetProperty("last_frame_age_seconds").GetDouble(), 0, 5);
        var sockets = box.GetProperty("sockets").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], sockets.Select(s => s.GetProperty("socket").GetInt32()));

        // Socket 1: 95 W constant (noise 2.5 W).
        Assert.InRange(Watts(sockets[0], "mean_watts"), 93.5, 96.5);
        Assert.InRange(Watts(sockets[0], "power_watts"), 85, 105);

        // Socket 2: 110/270 W square wave of 4 s: now one of the two, over ~10 s between 2 periods ± half a period off 190 W.
        var square = Watts(sockets[1], "power_watts");
        Assert.True(Math.Abs(square - 110) < 10 || Math.Abs(square - 270) < 10, $"square wave at {square} W");
        Assert.InRange(Watts(sockets[1], "mean_watts"), 165, 215);

        // Socket 3: a ramp from 180 W at 2 W/s since the agent started: the 10 s mean moves 2 W per second of data.
        Assert.InRange(Watts(sockets[2], "power_watts"), 175, 180 + (2 * elapsedSeconds) + 10);
        var secondSockets = second.GetProperty("boxes")[0].GetProperty("sockets").EnumerateArray().ToList();
        var dataSeconds = (second.GetProperty("boxes")[0].GetProperty("last_frame_time").GetDateTimeOffset() - box.GetProperty("last_frame_time").GetDateTimeOffset()).TotalSeconds;
        Assert.InRange(dataSeconds, 2, 15);
        Assert.Equal(2 * dataSeconds, Watts(secondSockets[2], "mean_watts") - Watts(sockets[2], "mean_watts"), 3.0);
        Assert.Equal(0, Watts(sockets[5], "mean_watts"), 1.0);

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("FRAMES/S", text.Output, StringComparison.Ordinal);
        Assert.Contains("MEAN 10 s W", text.Output, StringComparison.Ordinal);
        Assert.Matches(@"sim-w\s+3\s+sim-ramp\s+\d+\.\d", text.Output);
        Assert.Matches(@"box-p\s+6\s+-\s+", text.Output);
        Assert.DoesNotContain("\u001b[", text.Output, StringComparison.Ordinal);

        var machine = Assert.Single(byMachine.GetProperty("machines").EnumerateArray());
        Assert.Equal("sim-ramp", machine.GetProperty("machine").GetString());
        Assert.Equal(["sim-w:3"], machine.GetProperty("sockets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(3, Assert.Single(byMachine.GetProperty("boxes")[0].GetProperty("sockets").EnumerateArray()).GetProperty("socket").GetInt32());
    }

    [Theory]
    [InlineData("give a .png or .svg file name", "plot", "--machine", "srv-a", "--from", "2026-11-25T15:00:00Z", "--to", "2026-11-25T15:01:00Z", "--out", "plot.jpg")]
    [InlineData("unknown experiment 'no-such-run'", "plot", "no-such-run", "--out", "x.png")]
    [InlineData("must be before --to", "plot", "--machine", "srv-a", "--from", "2026-11-25T15:01:00Z", "--to", "2026-11-25T15:01:00Z", "--out", "x.png")]
    [InlineData("unknown machine 'nobody'", "plot", "--machine", "nobody", "--from", "2026-11-25T15:00:00Z", "--to", "2026-11-25T15:01:00Z", "--out", "x.png")]
    [InlineData("give an experiment ID, or --machine NAME", "plot", "--box", "box-p", "--from", "2026-11-25T15:00:00Z", "--to", "2026-11-25T15:01:00Z", "--out", "x.png")]
    [InlineData("--phase needs an experiment ID", "plot", "--machine", "srv-a", "--phase", "epoch-1", "--from", "2026-11-25T15:00:00Z", "--to", "2026-11-25T15:01:00Z", "--out", "x.png")]
    [InlineData("no power data for srv-a", "plot", "--machine", "srv-a", "--from", "2026-11-25T17:00:00Z", "--to", "2026-11-25T17:01:00Z", "--out", "x.png")]
    [InlineData("unknown box 'nope'", "export", "--box", "nope", "--from", "2026-11-25T15:00:00Z", "--to", "2026-11-25T15:01:00Z")]
    [InlineData("must be before --to", "export", "--box", "box-p", "--from", "2026-11-25T15:01:00Z", "--to", "2026-11-25T15:00:00Z")]
    [InlineData("unknown box 'nope'", "watch", "--box", "nope", "--once")]
    [InlineData("unknown machine 'nobody'", "watch", "--machine", "nobody", "--once")]
    public async Task BadInput_OneClearLineAndNonZeroExit(string expected, params string[] arguments)
    {
        var result = await FleetAsync(arguments);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "x.png")));
    }

    [Fact]
    public async Task Plot_UnknownPhase_ListsThePhases()
    {
        var result = await FleetAsync("plot", _cluster.ExperimentId, "--phase", "epoch-9", "--out", Path.Combine(_directory, "x.png"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no phase 'epoch-9' (its phases: epoch-1, epoch-2)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plot")]
    [InlineData("export")]
    [InlineData("watch")]
    public async Task Help_ShowsExamples(string command)
    {
        var result = await LocalCluster.RunAsync([command, "--help"]);
        var help = Encoding.UTF8.GetString(result.Output);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:", help, StringComparison.Ordinal);
        Assert.Contains($"fleet {command} ", help, StringComparison.Ordinal);
    }

    private static double Watts(JsonElement socket, string property) => socket.GetProperty(property).GetDouble();

    private static bool Near((byte R, byte G, byte B) pixel, int r, int g, int b, int tolerance) =>
        Math.Abs(pixel.R - r) <= tolerance && Math.Abs(pixel.G - g) <= tolerance && Math.Abs(pixel.B - b) <= tolerance;

    private int Steps(int frameId) => (frameId - _noisy.Rows[0].FrameId) & 0xFFFF;

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<JsonElement> FleetJsonAsync(params string[] arguments)
    {
        var result = await FleetAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    private async Task<(int ExitCode, string Output, string Error)> FleetAsync(params string[] arguments)
    {
        var result = await LocalCluster.RunAsync([.. arguments, "--url", $"http://127.0.0.1:{_cluster.Silo.HttpPort}"]);
        return (result.ExitCode, Encoding.UTF8.GetString(result.Output), result.Error);
    }

    private Task<(int ExitCode, byte[] Output, string Error)> FleetBytesAsync(params string[] arguments) =>
        LocalCluster.RunAsync([.. arguments, "--url", $"http://127.0.0.1:{_cluster.Silo.HttpPort}"]);

    /// <summary>
    /// One silo for the class: the noisy capture replayed as box-p, srv-a on its socket 3 and srv-b
    /// on 4 and 5, and a finished experiment on both with phases epoch-1 (1–11 s) and epoch-2 (11–25 s, to the stop).
    /// </summary>
    public sealed class LocalCluster : IAsyncLifetime
    {
        public static readonly DateTimeOffset Start = new(2026, 11, 25, 16, 0, 0, TimeSpan.Zero);
        private readonly PostgresFixture _postgres = new();
        private readonly string _directory = Directory.CreateTempSubdirectory("fleet-plot-stack-").FullName;

        public SiloProcess Silo { get; private set; } = null!;

        public Npgsql.NpgsqlDataSource DataSource => _postgres.DataSource;

        public string ExperimentId { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            Silo = new SiloProcess(_postgres.DataSource.ConnectionString);
            await Silo.StartAsync();
            using (var agent = AgentProcess.Replay(Fixtures.Capture("noisy-6plugs"), "box-p", Start, Silo.GatewayPort, Path.Combine(_directory, "spool")))
            {
                Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, agent.Output);
            }

            await FleetOkAsync("machines", "add", "srv-a", "--socket", "box-p:3", "--from", Iso(Start.AddHours(-1)));
            await FleetOkAsync("machines", "add", "srv-b", "--socket", "box-p:4", "--socket", "box-p:5", "--from", Iso(Start.AddHours(-1)));
            ExperimentId = "plot-run";
            await FleetOkAsync("exp", "start", "--id", ExperimentId, "--machine", "srv-a", "--machine", "srv-b", "--name", "sweep", "--at", Iso(Start.AddSeconds(1)));
            await FleetOkAsync("exp", "mark", ExperimentId, "epoch-1", "--at", Iso(Start.AddSeconds(1)));
            await FleetOkAsync("exp", "mark", ExperimentId, "epoch-2", "--at", Iso(Start.AddSeconds(11)));
            await FleetOkAsync("exp", "stop", ExperimentId, "--at", Iso(Start.AddSeconds(25)));
        }

        public async Task DisposeAsync()
        {
            Silo.Dispose();
            await _postgres.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }

        /// <summary>Runs `fleet` with stdout kept as bytes (export's CSV is compared byte for byte).</summary>
        public static Task<(int ExitCode, byte[] Output, string Error)> RunAsync(string[] arguments) => FleetCli.RunBytesAsync(arguments);

        private async Task FleetOkAsync(params string[] arguments)
        {
            var result = await RunAsync([.. arguments, "--url", $"http://127.0.0.1:{Silo.HttpPort}"]);
            Assert.True(result.ExitCode == 0, result.Error);
        }
    }

    /// <summary>
    /// Just enough of PNG to check a rendered chart: the IHDR size and 8-bit RGB(A) pixels through
    /// the five row filters. Independent of the renderer that wrote the file.
    /// </summary>
    private sealed class Png
    {
        private readonly byte[] _pixels;
        private readonly int _channels;

        private Png(int width, int height, int channels, byte[] pixels)
        {
            Width = width;
            Height = height;
            _channels = channels;
            _pixels = pixels;
        }

        public int Width { get; }

        public int Height { get; }

        public static Png Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
            var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
            Assert.Equal(8, bytes[24]);
            var channels = bytes[25] switch
            {
                2 => 3,
                6 => 4,
                var type => throw new InvalidDataException($"PNG colour type {type} is not RGB(A)"),
            };
            Assert.Equal(0, bytes[28]);

            using var idat = new MemoryStream();
            for (var offset = 8; offset < bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
                if (Encoding.ASCII.GetString(bytes, offset + 4, 4) == "IDAT")
                {
                    idat.Write(bytes, offset + 8, length);
                }

                offset += 12 + length;
            }

            idat.Position = 0;
            using var inflated = new MemoryStream();
            using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            {
                zlib.CopyTo(inflated);
            }

            var raw = inflated.ToArray();
            var stride = width * channels;
            Assert.Equal(height * (stride + 1), raw.Length);
            var pixels = new byte[height * stride];
            for (var y = 0; y < height; y++)
            {
                var filter = raw[y * (stride + 1)];
                for (var x = 0; x < stride; x++)
                {
                    var value = raw[(y * (stride + 1)) + 1 + x];
                    int left = x >= channels ? pixels[(y * stride) + x - channels] : 0;
                    int up = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                    int upLeft = x >= channels && y > 0 ? pixels[((y - 1) * stride) + x - channels] : 0;
                    pixels[(y * stride) + x] = (byte)(value + filter switch
                    {
                        0 => 0,
                        1 => left,
                        2 => up,
                        3 => (left + up) / 2,
                        4 => Paeth(left, up, upLeft),
                        _ => throw new InvalidDataException($"PNG row filter {filter}"),
                    });
                }
            }

            return new Png(width, height, channels, pixels);
        }

        /// <summary>Colours composed over white (a transparent pixel is background).</summary>
        public IEnumerable<(byte R, byte G, byte B)> Pixels()
        {
            for (var i = 0; i < _pixels.Length; i += _channels)
            {
                var alpha = _channels == 4 ? _pixels[i + 3] / 255.0 : 1.0;
                yield return (Over(_pixels[i], alpha), Over(_pixels[i + 1], alpha), Over(_pixels[i + 2], alpha));
            }
        }

        private static byte Over(byte value, double alpha) => (byte)Math.Round((value * alpha) + (255 * (1 - alpha)));

        private static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            var pa = Math.Abs(p - a);
            var pb = Math.Abs(p - b);
            var pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
