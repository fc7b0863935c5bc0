using Fleet.Storage.Energy;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Storage.Tests.Samples;

/// <summary>The noisy independent fixture stored and read back through real PostgreSQL.</summary>
public sealed class SampleWriterTests : IClassFixture<MigratedDatabaseFixture>
{
    // Not on a second boundary, so windows have partial seconds at both edges.
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, 4, TimeSpan.Zero);
    private readonly MigratedDatabaseFixture _database;

    public SampleWriterTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task WriteAsync_NoisyFixtureInBlocks_StoresEveryFrameAndExactEnergy()
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        var blocks = CaptureBlocks.FromCapture(File.ReadAllBytes(expected.CapturePath), "box-exact", Start, framesPerBlock: 137);
        var writer = new SampleWriter(_database.DataSource);

        foreach (var block in blocks)
        {
            Assert.True(await writer.WriteAsync(block));
        }

        Assert.Equal(expected.FramesValid + expected.FramesInvalid, await ScalarAsync<long>("SELECT sum(frames) FROM sample_chunks WHERE box_id = 'box-exact'"));
        Assert.Equal(expected.FramesValid, await ScalarAsync<long>("SELECT sum(valid_frames) FROM sample_chunks WHERE box_id = 'box-exact'"));
        var energy = new EnergyQueries(_database.DataSource);
        var end = Start.AddSeconds(60);
        for (var socket = 1; socket <= 6; socket++)
        {
            var result = await energy.GetSocketEnergyAsync("box-exact", socket, Start, end);
            Assert.Equal(expected.EnergyJoules[socket - 1], result.Joules, Math.Max(1e-6, 1e-4 * expected.EnergyJoules[socket - 1]));
            Assert.Equal(expected.FramesValid, result.Frames);
        }
    }

    [Fact]
    public async Task WriteAsync_SameBlockTwice_StoresItOnce()
    {
        var blocks = CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-6plugs")), "box-retry", Start, framesPerBlock: 100);
        var writer = new SampleWriter(_database.DataSource);

        Assert.True(await writer.WriteAsync(blocks[0]));
        Assert.True(await writer.WriteAsync(blocks[1]));
        Assert.False(await writer.WriteAsync(blocks[1]));
        Assert.False(await writer.WriteAsync(blocks[0]));

        Assert.Equal(200L, await ScalarAsync<long>("SELECT sum(frames) FROM sample_chunks WHERE box_id = 'box-retry'"));
        Assert.Equal(200L, await ScalarAsync<long>("SELECT sum(frames) FROM power_1s WHERE box_id = 'box-retry' AND socket = 1"));
    }

    [Theory]
    [InlineData(0.0, 30.0)]
    [InlineData(1.234, 7.891)]
    [InlineData(2.5, 2.51)]
    [InlineData(12.996, 13.004)]
    [InlineData(0.0, 0.001)]
    public async Task GetSocketEnergyAsync_AnyWindow_EqualsTheSumOverFramesInside(double fromSeconds, double toSeconds)
    {
        var expected = Fixtures.Expected("noisy-6plugs");
        var box = $"box-w{(int)(fromSeconds * 1000)}-{(int)(toSeconds * 1000)}";
        var blocks = CaptureBlocks.FromCapture(File.ReadAllBytes(expected.CapturePath), box, Start, framesPerBlock: 50);
        var writer = new SampleWriter(_database.DataSource);
        foreach (var block in blocks)
        {
            await writer.WriteAsync(block);
        }

        var from = Start.AddTicks((long)(fromSeconds * TimeSpan.TicksPerSecond));
        var to = Start.AddTicks((long)(toSeconds * TimeSpan.TicksPerSecond));
        var fromUs = (from - DateTimeOffset.UnixEpoch).Ticks / 10;
        var toUs = (to - DateTimeOffset.UnixEpoch).Ticks / 10;
        double manual = 0;
        long frames = 0;
        foreach (var block in blocks)
        {
            for (var k = 0; k < block.Count; k++)
            {
                if (block.Valid[k] && block.TimesUnixMicroseconds[k] >= fromUs && block.TimesUnixMicroseconds[k] < toUs)
                {
                    manual += block.PowersWatts[(k * 6) + 2] * 0.010;
                    frames++;
                }
            }
        }

        var result = await new EnergyQueries(_database.DataSource).GetSocketEnergyAsync(box, 3, from, to);

        Assert.Equal(frames, result.Frames);
        Assert.Equal(manual, result.Joules, 1e-6 * Math.Max(1, manual));
        Assert.Equal(SocketEnergy.FrameCount(from, to), result.FramesExpected);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
