using System.Net.Http.Json;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Silo.Tests.Support;

/// <summary>
/// A real silo whose database holds the independent clean 6-plug capture as box <see cref="Box"/>,
/// frame k at <see cref="Start"/> + k × 10 ms, and machines plugged into it since an hour before:
/// m1 on socket 1, m2 on sockets 2 and 3 (two power supplies), m3 on 4, m4 on 5, m5 on 6.
/// </summary>
public sealed class CaptureSiloFixture : IAsyncLifetime
{
    public const string Box = "box-lab";
    public const string CaptureName = "clean-6plugs";

    public static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private readonly SiloFixture _silo = new();

    public ExpectedCapture Expected { get; } = Fixtures.Expected(CaptureName);

    public HttpClient Http => _silo.Http;

    public async Task InitializeAsync()
    {
        await _silo.InitializeAsync();

        // The silo has no HTTP ingest: store the frames the way the meter grain does, before any
        // request about the box (its meter grain reads the plug count once, on activation).
        var writer = new SampleWriter(_silo.DataSource);
        foreach (var block in CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture(CaptureName)), Box, Start, framesPerBlock: 100))
        {
            Assert.True(await writer.WriteAsync(block));
        }

        await AssignAsync("m1", 1);
        await AssignAsync("m2", 2, 3);
        await AssignAsync("m3", 4);
        await AssignAsync("m4", 5);
        await AssignAsync("m5", 6);
    }

    public Task DisposeAsync() => _silo.DisposeAsync();

    /// <summary>Σ P × 10 ms over the fixture's frames in [Start + from, Start + to) on the given sockets (1-based).</summary>
    public double ExpectedJoules(double fromSeconds, double toSeconds, params int[] sockets)
    {
        var first = (int)Math.Round(fromSeconds * 100);
        var last = (int)Math.Round(toSeconds * 100);
        // expected.csv columns after frame id and flag: U1..U3, I1..In, P1..Pn.
        return Expected.Rows.Skip(first).Take(last - first)
            .Sum(row => sockets.Sum(s => row.Values[3 + Expected.Plugs + s - 1] * 0.010));
    }

    /// <summary>Frames of the fixture in [Start + from, Start + to) (every frame of the clean capture is valid).</summary>
    public static long FramesIn(double fromSeconds, double toSeconds) =>
        (long)Math.Round(toSeconds * 100) - (long)Math.Round(fromSeconds * 100);

    private async Task AssignAsync(string machine, params int[] sockets)
    {
        using var response = await Http.PutAsJsonAsync(
            $"/api/machines/{machine}/sockets",
            new { sockets = sockets.Select(s => $"{Box}:{s}").ToArray(), from = SiloApi.Time(Start.AddHours(-1)) });
        response.EnsureSuccessStatusCode();
    }
}
