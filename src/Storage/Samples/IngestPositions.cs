using Npgsql;

namespace Fleet.Storage.Samples;

/// <summary>
/// What a meter needs to know when it is activated (on any silo): which agent feeds its box and
/// how recently, and the time of the box's newest stored frame, past which a batch cannot
/// overlap anything stored.
/// </summary>
public sealed class IngestPositions
{
    private readonly NpgsqlDataSource _dataSource;

    public IngestPositions(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>The writer of the box's most recently stored source, leaving out imports (they fill the past and hold no box).</summary>
    public async Task<BoxWriter?> GetLatestWriterAsync(string boxId, string importWriterPrefix, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT writer_id, agent_host, greatest(now() - updated_at, interval '0') FROM ingest_positions
            WHERE box_id = @box AND NOT starts_with(writer_id, @import)
            ORDER BY updated_at DESC LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        command.Parameters.Add(new NpgsqlParameter<string>("import", importWriterPrefix));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new BoxWriter(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<TimeSpan>(2));
    }

    /// <summary>The time of the box's newest stored frame in Unix microseconds, or null when none is stored.</summary>
    public async Task<long?> GetLastFrameUnixMicrosecondsAsync(string boxId, CancellationToken cancellationToken = default)
    {
        // The primary key (box_id, second, first_offset_us) read backwards: one index probe.
        await using var command = _dataSource.CreateCommand("""
            SELECT (extract(epoch FROM second)::bigint * 1000000) + last_offset_us
            FROM sample_chunks WHERE box_id = @box
            ORDER BY second DESC, first_offset_us DESC LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long last ? last : null;
    }
}
