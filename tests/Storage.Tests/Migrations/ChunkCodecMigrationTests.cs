using Fleet.Storage.Energy;
using Fleet.Storage.Export;
using Fleet.Storage.Migrations;
using Fleet.Storage.Samples;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Storage.Tests.Migrations;

/// <summary>
/// Migration 0011 re-encodes chunks stored in the old array layout: after it, every frame reads
/// back bit for bit, the rollups are untouched, energy is the same, and new frames are written
/// beside the converted ones.
/// </summary>
public sealed class ChunkCodecMigrationTests : IClassFixture<PostgresFixture>
{
    private const int ArrayLayoutVersion = 10;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 23, 59, 45, 123, TimeSpan.Zero);
    private readonly PostgresFixture _postgres;

    public ChunkCodecMigrationTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task ChunksInTheArrayLayout_ReadBackBitForBitAfterTheMigration()
    {
        var runner = new MigrationRunner(_postgres.DataSource, NullLogger<MigrationRunner>.Instance);
        await runner.MigrateAsync(ArrayLayoutVersion);

        // The noisy capture (invalid frames, id gaps), across midnight so two daily partitions
        // hold it, written the way the writer of the array layout wrote it.
        var blocks = CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("noisy-6plugs")), "box-old", Start, framesPerBlock: 250);
        foreach (var block in blocks)
        {
            await WriteArrayLayoutAsync(block);
        }

        var chunksBefore = await ScalarAsync("SELECT count(*) FROM sample_chunks WHERE box_id = 'box-old'");

        // A second of an old import holding more frames than one new row takes (5 000, 200 µs
        // apart): it becomes two rows, every frame kept.
        var crowded = Crowded(5_000);
        await WriteArrayLayoutAsync(crowded, withRollups: false);

        Assert.Equal([11], (await runner.MigrateAsync()).Where(v => v == 11));

        Assert.Equal(chunksBefore, await ScalarAsync("SELECT count(*) FROM sample_chunks WHERE box_id = 'box-old'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM pg_class WHERE relname LIKE 'sample\\_chunks\\_arrays%'"));
        var read = new List<FrameColumns>();
        await foreach (var chunk in new SampleReader(_postgres.DataSource).ReadAsync("box-old", Start.AddSeconds(-1), Start.AddMinutes(1)))
        {
            read.Add(chunk);
        }

        var stored = Concatenate(read);
        var written = Concatenate(blocks);
        Assert.Equal(written.TimesUnixMicroseconds, stored.TimesUnixMicroseconds);
        Assert.Equal(written.FrameIds, stored.FrameIds);
        Assert.Equal(written.Valid, stored.Valid);
        Assert.Equal(Bits(written.VoltagesVolts), Bits(stored.VoltagesVolts));
        Assert.Equal(Bits(written.CurrentsAmperes), Bits(stored.CurrentsAmperes));
        Assert.Equal(Bits(written.PowersWatts), Bits(stored.PowersWatts));

        // Energy over a window with edges off the second (raw edges decoded from converted
        // chunks, whole seconds from the old rollups) is Σ P × 10 ms over the written frames.
        var from = Start.AddMilliseconds(4_567);
        var to = Start.AddMilliseconds(27_891);
        var inside = Enumerable.Range(0, written.Count)
            .Where(k => written.Valid[k] && written.TimesUnixMicroseconds[k] >= Microseconds(from) && written.TimesUnixMicroseconds[k] < Microseconds(to))
            .ToList();
        var expectedJoules = inside.Sum(k => written.PowersWatts[(k * written.Plugs) + 1] * 0.01);
        var energy = (await new EnergyQueries(_postgres.DataSource).GetSocketEnergyAsync("box-old", 2, from, to)).Sockets[0];
        Assert.Equal(expectedJoules, energy.Joules, 1e-9 * expectedJoules);
        Assert.Equal(inside.Count, energy.Frames);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(written.TimesUnixMicroseconds[inside[0]] * 10), energy.FirstFrameAt);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(written.TimesUnixMicroseconds[inside[^1]] * 10), energy.LastFrameAt);

        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM sample_chunks WHERE box_id = 'box-crowded'"));
        var crowdedRead = new List<FrameColumns>();
        await foreach (var chunk in new SampleReader(_postgres.DataSource).ReadAsync("box-crowded", Start.AddHours(-1), Start))
        {
            crowdedRead.Add(chunk);
        }

        Assert.Equal(crowded.TimesUnixMicroseconds, Concatenate(crowdedRead).TimesUnixMicroseconds);
        Assert.Equal(Bits(crowded.PowersWatts), Bits(Concatenate(crowdedRead).PowersWatts));

        // The writer carries on in the new layout, after the converted frames.
        var later = CaptureBlocks.FromCapture(File.ReadAllBytes(Fixtures.Capture("clean-6plugs")), "box-old", Start.AddMinutes(2), framesPerBlock: 3000, sourceId: "agent-after");
        Assert.True(await new SampleWriter(_postgres.DataSource).WriteAsync(later[0]));
        Assert.Equal(written.Count + later[0].Count, await ScalarAsync("SELECT sum(frames) FROM sample_chunks WHERE box_id = 'box-old'"));
    }

    private async Task WriteArrayLayoutAsync(SampleBlock block, bool withRollups = true)
    {
        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        var seconds = block.TimesUnixMicroseconds.Select(t => Math.DivRem(t, 1_000_000, out var r) - (r < 0 ? 1 : 0)).ToArray();
        await using (var days = new NpgsqlCommand("SELECT fleet_ensure_raw_partition(d) FROM unnest(@days) AS d", connection))
        {
            days.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("days", [.. seconds.Distinct().Select(DateTimeOffset.FromUnixTimeSeconds)]));
            await days.ExecuteNonQueryAsync();
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY sample_chunks (box_id, second, first_offset_us, plugs, offsets_us, frame_ids, valid, voltages, currents, powers) FROM STDIN (FORMAT BINARY)"))
        {
            await CopyArrayRowsAsync(import, block, seconds);
        }

        // The rollups as the old writer kept them (socket 2), which energy reads for whole seconds
        // (none for the crowded second: today's bound of 120 frames a second refuses it).
        if (!withRollups)
        {
            return;
        }

        await using var rollups = new NpgsqlCommand("""
            INSERT INTO power_1s (box_id, socket, second, frames, joules, min_w, max_w)
            SELECT @box, 2, s, count(*), sum(p::float8 * 0.01), min(p), max(p)
            FROM unnest(@seconds, @powers, @valid) AS u(s, p, ok) WHERE ok GROUP BY s
            ON CONFLICT (box_id, socket, second) DO UPDATE SET frames = power_1s.frames + excluded.frames,
                joules = power_1s.joules + excluded.joules, min_w = least(power_1s.min_w, excluded.min_w), max_w = greatest(power_1s.max_w, excluded.max_w)
            """, connection);
        rollups.Parameters.Add(new NpgsqlParameter<string>("box", block.BoxId));
        rollups.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("seconds", [.. seconds.Select(DateTimeOffset.FromUnixTimeSeconds)]));
        rollups.Parameters.Add(new NpgsqlParameter<float[]>("powers", [.. Enumerable.Range(0, block.Count).Select(k => block.PowersWatts[(k * block.Plugs) + 1])]));
        rollups.Parameters.Add(new NpgsqlParameter<bool[]>("valid", block.Valid));
        await rollups.ExecuteNonQueryAsync();
    }

    /// <summary>One row per UTC second, in the array layout of migrations 0001-0010.</summary>
    private static async Task CopyArrayRowsAsync(NpgsqlBinaryImporter import, SampleBlock block, long[] seconds)
    {
        var plugs = block.Plugs;
        var start = 0;
        while (start < block.Count)
        {
            var end = start;
            while (end < block.Count && seconds[end] == seconds[start])
            {
                end++;
            }

            var offsets = Enumerable.Range(start, end - start).Select(k => (int)(block.TimesUnixMicroseconds[k] - (seconds[start] * 1_000_000))).ToArray();
            await import.StartRowAsync();
            await import.WriteAsync(block.BoxId, NpgsqlDbType.Text);
            await import.WriteAsync(DateTimeOffset.FromUnixTimeSeconds(seconds[start]), NpgsqlDbType.TimestampTz);
            await import.WriteAsync(offsets[0], NpgsqlDbType.Integer);
            await import.WriteAsync((short)plugs, NpgsqlDbType.Smallint);
            await import.WriteAsync(offsets, NpgsqlDbType.Array | NpgsqlDbType.Integer);
            await import.WriteAsync(block.FrameIds[start..end], NpgsqlDbType.Array | NpgsqlDbType.Integer);
            await import.WriteAsync(block.Valid[start..end], NpgsqlDbType.Array | NpgsqlDbType.Boolean);
            await import.WriteAsync(block.VoltagesVolts[(3 * start)..(3 * end)], NpgsqlDbType.Array | NpgsqlDbType.Real);
            await import.WriteAsync(block.CurrentsAmperes[(plugs * start)..(plugs * end)], NpgsqlDbType.Array | NpgsqlDbType.Real);
            await import.WriteAsync(block.PowersWatts[(plugs * start)..(plugs * end)], NpgsqlDbType.Array | NpgsqlDbType.Real);
            start = end;
        }

        await import.CompleteAsync();
    }

    private static SampleBlock Crowded(int frames)
    {
        var second = UnixMicroseconds.Floor(Start.AddMinutes(-30)) / 1_000_000 * 1_000_000;
        var random = new Random(5);
        float Value() => (float)(100 + random.NextDouble());
        return new SampleBlock(
            "box-crowded",
            "import",
            1,
            "import",
            "host",
            6,
            [.. Enumerable.Range(0, frames).Select(k => second + (k * 200L))],
            [.. Enumerable.Range(0, frames)],
            [.. Enumerable.Repeat(true, frames)],
            [.. Enumerable.Range(0, 3 * frames).Select(_ => Value())],
            [.. Enumerable.Range(0, 6 * frames).Select(_ => Value())],
            [.. Enumerable.Range(0, 6 * frames).Select(_ => Value())]);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _postgres.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static FrameColumns Concatenate(IEnumerable<FrameColumns> parts)
    {
        var list = parts.ToList();
        return new FrameColumns(
            list[0].Plugs,
            [.. list.SelectMany(p => p.TimesUnixMicroseconds)],
            [.. list.SelectMany(p => p.FrameIds)],
            [.. list.SelectMany(p => p.Valid)],
            [.. list.SelectMany(p => p.VoltagesVolts)],
            [.. list.SelectMany(p => p.CurrentsAmperes)],
            [.. list.SelectMany(p => p.PowersWatts)]);
    }

    private static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static uint[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToUInt32Bits)];
}
