using System.Runtime.CompilerServices;
using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.Storage.Export;

/// <summary>
/// Reads a box's raw frames back in time order, one stored chunk (at most a second) at a time,
/// a page of chunks per query, so an export of a day streams in constant memory instead of
/// loading 8.6 million frames, and holds a database connection only while it reads a page.
/// </summary>
public sealed class SampleReader
{
    private readonly NpgsqlDataSource _dataSource;

    public SampleReader(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Chunks (at most a second each) read per query: a connection is held for one page, never for a whole export.</summary>
    public const int ChunksPerPage = 300;

    /// <summary>Every stored frame of the box in [from, to), valid or not, in time order.</summary>
    public async IAsyncEnumerable<FrameColumns> ReadAsync(string boxId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxId);
        if (to <= from)
        {
            yield break;
        }

        // Frame times are whole microseconds; a window edge between two microseconds rounds up,
        // so the right frame is still included or excluded.
        var fromMicroseconds = UnixMicroseconds.Ceiling(from);
        var toMicroseconds = UnixMicroseconds.Ceiling(to);

        // Keyset pages: each page is read whole on a pooled connection that goes back to the pool
        // before the caller sees a chunk, so a slow reader (an export to a slow client) never
        // holds a connection for the whole stream.
        (DateTimeOffset Second, int FirstOffset)? after = null;
        while (true)
        {
            var page = await ReadPageAsync(boxId, from, to, after, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in page)
            {
                if (Cut(chunk.Columns, fromMicroseconds, toMicroseconds) is { } cut)
                {
                    yield return cut;
                }
            }

            if (page.Count < ChunksPerPage)
            {
                yield break;
            }

            after = (page[^1].Second, page[^1].FirstOffset);
        }
    }

    private async Task<List<(DateTimeOffset Second, int FirstOffset, FrameColumns Columns)>> ReadPageAsync(
        string boxId, DateTimeOffset from, DateTimeOffset to, (DateTimeOffset Second, int FirstOffset)? after, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT {ChunkRowReader.Columns}
            FROM sample_chunks
            WHERE box_id = @box AND second >= date_trunc('second', @from) AND second < @to
              {(after is null ? string.Empty : "AND (second, first_offset_us) > (@afterSecond, @afterOffset)")}
            ORDER BY second, first_offset_us
            LIMIT {ChunksPerPage}
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        // Rounded up to the microsecond PostgreSQL keeps: a frame just before a sub-µs 'to' stays in.
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", UnixMicroseconds.ToTime(UnixMicroseconds.Ceiling(to))));
        if (after is { } key)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("afterSecond", key.Second));
            command.Parameters.Add(new NpgsqlParameter<int>("afterOffset", key.FirstOffset));
        }

        var page = new List<(DateTimeOffset, int, FrameColumns)>(ChunksPerPage);
        var chunks = new ChunkRowReader();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), chunks.Read(reader).ToColumns()));
        }

        return page;
    }

    /// <summary>The chunk's frames in [from, to) (frames increase in time: only chunks at the window's edges are cut), or null when none is.</summary>
    private static FrameColumns? Cut(FrameColumns chunk, long fromMicroseconds, long toMicroseconds)
    {
        var times = chunk.TimesUnixMicroseconds;
        var first = 0;
        while (first < times.Length && times[first] < fromMicroseconds)
        {
            first++;
        }

        var end = times.Length;
        while (end > first && times[end - 1] >= toMicroseconds)
        {
            end--;
        }

        if (end == first)
        {
            return null;
        }

        var plugs = chunk.Plugs;
        return first == 0 && end == times.Length
            ? chunk
            : new FrameColumns(
                plugs,
                times[first..end],
                chunk.FrameIds[first..end],
                chunk.Valid[first..end],
                chunk.VoltagesVolts[(3 * first)..(3 * end)],
                chunk.CurrentsAmperes[(plugs * first)..(plugs * end)],
                chunk.PowersWatts[(plugs * first)..(plugs * end)]);
    }
}
