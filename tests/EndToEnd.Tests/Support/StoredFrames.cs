using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>How many frames of a box are in PostgreSQL: what the end-to-end tests wait for and check.</summary>
internal static class StoredFrames
{
    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string box)
    {
        await using var count = dataSource.CreateCommand("SELECT coalesce(sum(frames), 0) FROM sample_chunks WHERE box_id = $1");
        count.Parameters.AddWithValue(box);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Every stored frame's time (µs since the epoch), decoded from the box's raw chunks in key order.</summary>
    public static async Task<List<long>> TimesAsync(NpgsqlDataSource dataSource, string box)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ChunkRowReader.Columns} FROM sample_chunks WHERE box_id = $1 ORDER BY second, first_offset_us");
        command.Parameters.AddWithValue(box);
        var times = new List<long>();
        var chunks = new ChunkRowReader();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var frames = chunks.Read(reader);
            times.AddRange(frames.TimesUnixMicroseconds.AsSpan(0, frames.Count));
        }

        return times;
    }

    /// <summary>Waits until at least <paramref name="frames"/> frames of <paramref name="box"/> are stored; the timeout message carries <paramref name="diagnostics"/>.</summary>
    public static async Task WaitForAsync(NpgsqlDataSource dataSource, string box, long frames, Func<string> diagnostics, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await CountAsync(dataSource, box) < frames)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{frames} frames of {box} never reached the database:\n{diagnostics()}");
            }

            await Task.Delay(100);
        }
    }
}
