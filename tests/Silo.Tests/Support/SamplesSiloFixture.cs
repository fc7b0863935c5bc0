using System.Net.Http.Json;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Silo.Tests.Support;

/// <summary>
/// A real silo whose database holds the independent clean 6-plug capture as box <see cref="CleanBox"/>
/// and the noisy one (invalid n = 0 frames, lost frames) as <see cref="NoisyBox"/>, both from
/// <see cref="Start"/> at 10 ms per frame-id step. Machines: m2 on clean sockets 2 and 3 (two
/// power supplies); mover on clean socket 1 until <see cref="Start"/> + <see cref="MoveSeconds"/>,
/// then on clean socket 4.
/// </summary>
public sealed class SamplesSiloFixture : IAsyncLifetime
{
    public const string CleanBox = "box-clean";
    public const string NoisyBox = "box-noisy";
    public const double MoveSeconds = 10;

    public static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private readonly SiloFixture _silo = new();

    public ExpectedCapture Clean { get; } = Fixtures.Expected("clean-6plugs");

    public ExpectedCapture Noisy { get; } = Fixtures.Expected("noisy-6plugs");

    /// <summary>Every frame stored for <see cref="NoisyBox"/>, exactly as written (the reference for bit-exact checks).</summary>
    public IReadOnlyList<StoredFrame> NoisyFrames { get; private set; } = [];

    public HttpClient Http => _silo.Http;

    public async Task InitializeAsync()
    {
        await _silo.InitializeAsync();
        var writer = new SampleWriter(_silo.DataSource);
        foreach (var block in CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-6plugs")), CleanBox, Start, framesPerBlock: 100))
        {
            Assert.True(await writer.WriteAsync(block));
        }

        // Blocks of 70 frames split seconds across chunk rows, as real batches do.
        var noisy = CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("noisy-6plugs")), NoisyBox, Start, framesPerBlock: 70);
        foreach (var block in noisy)
        {
            Assert.True(await writer.WriteAsync(block));
        }

        NoisyFrames = [.. noisy.SelectMany(StoredFrame.From)];

        await AssignAsync("m2", Start.AddHours(-1), 2, 3);
        await AssignAsync("mover", Start.AddHours(-1), 1);
        await AssignAsync("mover", Start.AddSeconds(MoveSeconds), 4);
    }

    public Task DisposeAsync() => _silo.DisposeAsync();

    /// <summary>The clean fixture's P of socket <paramref name="socket"/> (1-based) in frame <paramref name="frame"/>.</summary>
    public double CleanWatts(int frame, int socket) => Clean.Rows[frame].Values[3 + Clean.Plugs + socket - 1];

    private async Task AssignAsync(string machine, DateTimeOffset from, params int[] sockets)
    {
        using var response = await Http.PutAsJsonAsync(
            $"/api/machines/{machine}/sockets",
            new { sockets = sockets.Select(s => $"{CleanBox}:{s}").ToArray(), from = SiloApi.Time(from) });
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>One frame as it was handed to storage.</summary>
public sealed record StoredFrame(long UnixMicroseconds, bool Valid, float[] Volts, float[] Currents, float[] Powers)
{
    public static IEnumerable<StoredFrame> From(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var plugs = block.Plugs;
        for (var k = 0; k < block.Count; k++)
        {
            yield return new StoredFrame(
                block.TimesUnixMicroseconds[k],
                block.Valid[k],
                block.VoltagesVolts[(3 * k)..(3 * (k + 1))],
                block.CurrentsAmperes[(plugs * k)..(plugs * (k + 1))],
                block.PowersWatts[(plugs * k)..(plugs * (k + 1))]);
        }
    }

    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(UnixMicroseconds * 10);
}
