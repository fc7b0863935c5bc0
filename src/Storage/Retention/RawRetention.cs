using System.Globalization;
using Npgsql;

namespace Fleet.Storage.Retention;

/// <summary>
/// Drops the raw frames of whole UTC days older than a horizon (their daily partitions,
/// migration 0009) and records where raw frames now begin. Rollups of every level stay, so
/// energy over those days is still answered, from the rollups alone.
/// </summary>
public sealed class RawRetention
{
    private const string PartitionPrefix = "sample_chunks_";

    private readonly NpgsqlDataSource _dataSource;

    public RawRetention(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Drops every raw partition whose day ends at or before <paramref name="horizon"/>; returns the days dropped.</summary>
    public async Task<IReadOnlyList<DateOnly>> DropBeforeAsync(DateTimeOffset horizon, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var days = new List<DateOnly>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'public.sample_chunks'::regclass
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (name.StartsWith(PartitionPrefix, StringComparison.Ordinal)
                    && DateOnly.TryParseExact(name[PartitionPrefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    && End(day) <= horizon)
                {
                    days.Add(day);
                }
            }
        }

        days.Sort();
        foreach (var day in days)
        {
            // One transaction per day: the mark moves with the drop, so it never claims a day still there.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS public.{PartitionPrefix}{day:yyyyMMdd}", connection, transaction))
            {
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var mark = new NpgsqlCommand("""
                INSERT INTO raw_retention AS r (singleton, raw_from) VALUES (true, @end)
                ON CONFLICT (singleton) DO UPDATE SET raw_from = greatest(r.raw_from, excluded.raw_from)
                """, connection, transaction))
            {
                mark.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("end", End(day)));
                await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return days;
    }

    /// <summary>Where raw frames begin: before it, only rollups remain. Null when nothing was ever dropped.</summary>
    public async Task<DateTimeOffset?> GetRawFromAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT raw_from FROM raw_retention");
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DateTime time ? new DateTimeOffset(time, TimeSpan.Zero) : null;
    }

    private static DateTimeOffset End(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
