using Fleet.Storage.Export;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;
using Npgsql;

namespace Fleet.Storage.Tests.Export;

/// <summary>Reading frames back in pages: every frame once, in order, whatever the window's edges.</summary>
public sealed class SampleReaderTests : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, 4, TimeSpan.Zero);
    private readonly MigratedDatabaseFixture _database;

    public SampleReaderTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task ReadAsync_MoreChunksThanAPage_EveryFrameOnceInTimeOrder()
    {
        var capture = File.ReadAllBytes(Fixtures.Capture("clean-6plugs"));
        var writer = new SampleWriter(_database.DataSource);
        // Twelve copies of the 30 s capture back to back in 50-frame blocks: 720 chunks, more than two pages.
        long frames = 0;
        for (var copy = 0; copy < 12; copy++)
        {
            foreach (var block in CaptureBlocks.FromCapture(capture, "box-pages", Start.AddSeconds(30 * copy), framesPerBlock: 50, sourceId: $"copy-{copy}"))
            {
                Assert.True(await writer.WriteAsync(block));
                frames += block.Count;
            }
        }

        var reader = new SampleReader(_database.DataSource);
        var times = new List<long>();
        await foreach (var chunk in reader.ReadAsync("box-pages", Start, Start.AddSeconds(360)))
        {
            times.AddRange(chunk.TimesUnixMicroseconds);
        }

        Assert.True(await ChunkCountAsync("box-pages") > 2 * SampleReader.ChunksPerPage);
        Assert.Equal(frames, times.Count);
        Assert.Equal(times.Order(), times);
        Assert.Equal(times.Count, times.Distinct().Count());

        // A window cut inside seconds at both ends, across page boundaries.
        var from = Start.AddSeconds(100.255);
        var to = Start.AddSeconds(300.505);
        var inside = new List<long>();
        await foreach (var chunk in reader.ReadAsync("box-pages", from, to))
        {
            inside.AddRange(chunk.TimesUnixMicroseconds);
        }

        Assert.Equal(times.Where(t => t >= Micro(from) && t < Micro(to)), inside);
    }

    private static long Micro(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10;

    private async Task<long> ChunkCountAsync(string box)
    {
        await using var command = _database.DataSource.CreateCommand("SELECT count(*) FROM sample_chunks WHERE box_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = box });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
