using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Storage.Tests.Samples;

/// <summary>Many boxes writing at once share transactions, each still stored exactly once, and a bad block fails alone.</summary>
public sealed class SampleWriterGroupCommitTests : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly MigratedDatabaseFixture _database;

    public SampleWriterGroupCommitTests(MigratedDatabaseFixture database) => _database = database;

    [Fact]
    public async Task WriteAsync_FortyBoxesAtOnce_EveryBlockStoredOnceWithExactRollups()
    {
        var writer = new SampleWriter(_database.DataSource);
        var capture = File.ReadAllBytes(Fixtures.Capture("clean-6plugs"));
        var boxes = Enumerable.Range(0, 40).Select(k => CaptureBlocks.FromCapture(capture, $"box-group-{k:D2}", Start, framesPerBlock: 100)).ToList();

        // Each box writes its blocks in order, as its meter does; the boxes run concurrently.
        var results = await Task.WhenAll(boxes.Select(async blocks =>
        {
            var stored = new List<bool>();
            foreach (var block in blocks)
            {
                stored.Add(await writer.WriteAsync(block));
            }

            // A retry of the last block is recognised by its sequence.
            stored.Add(await writer.WriteAsync(blocks[^1]));
            return stored;
        }));

        Assert.All(results, stored => Assert.Equal([.. Enumerable.Repeat(true, 30), false], stored));
        Assert.Equal(40L * 3000, await ScalarAsync<long>("SELECT sum(frames) FROM sample_chunks WHERE box_id LIKE 'box-group-%'"));
        Assert.Equal(40L * 3000, await ScalarAsync<long>("SELECT sum(frames) FROM power_1s WHERE box_id LIKE 'box-group-%' AND socket = 1"));
        Assert.Equal(40L * 30, await ScalarAsync<long>("SELECT count(*) FROM power_1s WHERE box_id LIKE 'box-group-%' AND socket = 1"));
    }

    [Fact]
    public async Task WriteAsync_OneBlockOverTheBoundInAGroup_OnlyThatOneFails()
    {
        var writer = new SampleWriter(_database.DataSource);
        var capture = File.ReadAllBytes(Fixtures.Capture("clean-6plugs"));
        var good = Enumerable.Range(0, 10).Select(k => CaptureBlocks.FromCapture(capture, $"box-mixed-{k}", Start, framesPerBlock: 100)[0]).ToList();

        // A box whose second already holds 100 frames gets 100 more in that same second: over the bound of 120.
        var full = CaptureBlocks.FromCapture(capture, "box-mixed-bad", Start, framesPerBlock: 100);
        Assert.True(await writer.WriteAsync(full[0]));
        var again = CaptureBlocks.FromCapture(capture, "box-mixed-bad", Start.AddMilliseconds(5), framesPerBlock: 100, sourceId: "second-stream")[0];

        var writes = good.Select(b => writer.WriteAsync(b)).Append(writer.WriteAsync(again)).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (Stored: await w, Error: (Exception?)null);
            }
            catch (Npgsql.PostgresException error)
            {
                return (Stored: false, Error: error);
            }
        }));

        Assert.All(outcomes.Take(10), o => Assert.True(o.Stored && o.Error is null, o.Error?.Message));
        var refused = Assert.IsType<Npgsql.PostgresException>(outcomes[^1].Error);
        Assert.Equal(SampleWriter.FramesPerSecondConstraint, refused.ConstraintName);
        Assert.Equal(10L * 100, await ScalarAsync<long>("SELECT sum(frames) FROM sample_chunks WHERE box_id LIKE 'box-mixed-_'"));
        Assert.Equal(100L, await ScalarAsync<long>("SELECT sum(frames) FROM sample_chunks WHERE box_id = 'box-mixed-bad'"));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
