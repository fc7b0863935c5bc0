using System.Data;
using System.Runtime.CompilerServices;
using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.Storage.Export;

/// <summary>
/// Reads a box's raw frames back in time order, one stored chunk (at most a second) at a time,
/// so an export of a day streams in constant memory instead of loading 8.6 million frames.
/// </summary>
public sealed class SampleReader
{
    private const long TicksPerMicrosecond = 10;
    private readonly NpgsqlDataSource _dataSource;

    public SampleReader(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Every stored frame of the box in [from, to), valid or not, in time order.</summary>
    public async IAsyncEnumerable<FrameColumns> ReadAsync(string boxId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boxId);
        if (to <= from)
        {
            yield break;
        }

        // Frame times are whole microseconds; compare in ticks so a window edge between two
        // microseconds still includes or excludes the right frame.
        var fromTicks = from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var toTicks = to.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        await using var command = _dataSource.CreateCommand("""
            SELECT second, plugs, offsets_us, frame_ids, valid, voltages, currents, powers
            FROM sample_chunks
            WHERE box_id = @box AND second >= date_trunc('second', @from) AND second < @to
            ORDER BY second, first_offset_us
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));

        // Sequential access: Npgsql does not buffer a whole row, and rows arrive as they are read.
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var second = await reader.GetFieldValueAsync<DateTimeOffset>(0, cancellationToken).ConfigureAwait(false);
            int plugs = await reader.GetFieldValueAsync<short>(1, cancellationToken).ConfigureAwait(false);
            var offsets = await reader.GetFieldValueAsync<int[]>(2, cancellationToken).ConfigureAwait(false);
            var frameIds = await reader.GetFieldValueAsync<int[]>(3, cancellationToken).ConfigureAwait(false);
            var valid = await reader.GetFieldValueAsync<bool[]>(4, cancellationToken).ConfigureAwait(false);
            var volts = await reader.GetFieldValueAsync<float[]>(5, cancellationToken).ConfigureAwait(false);
            var currents = await reader.GetFieldValueAsync<float[]>(6, cancellationToken).ConfigureAwait(false);
            var powers = await reader.GetFieldValueAsync<float[]>(7, cancellationToken).ConfigureAwait(false);

            var secondMicroseconds = (second.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;
            var times = new long[offsets.Length];
            for (var k = 0; k < offsets.Length; k++)
            {
                times[k] = secondMicroseconds + offsets[k];
            }

            // Frames increase in time within a chunk: only the chunks at the window's edges are cut.
            var first = 0;
            while (first < times.Length && times[first] * TicksPerMicrosecond < fromTicks)
            {
                first++;
            }

            var end = times.Length;
            while (end > first && times[end - 1] * TicksPerMicrosecond >= toTicks)
            {
                end--;
            }

            if (end == first)
            {
                continue;
            }

            yield return first == 0 && end == times.Length
                ? new FrameColumns(plugs, times, frameIds, valid, volts, currents, powers)
                : new FrameColumns(
                    plugs,
                    times[first..end],
                    frameIds[first..end],
                    valid[first..end],
                    volts[(3 * first)..(3 * end)],
                    currents[(plugs * first)..(plugs * end)],
                    powers[(plugs * first)..(plugs * end)]);
        }
    }
}
