using System.Text;
using Npgsql;

namespace Fleet.Storage.Runs;

/// <summary>What experiments' commands printed, kept while they run and afterwards.</summary>
public sealed class RunLogStore
{
    private readonly NpgsqlDataSource _dataSource;

    public RunLogStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Stores lines by (machine, sequence): a line resent after a lost answer is stored once.</summary>
    public async Task AppendAsync(string experimentId, string machine, IReadOnlyList<(long Sequence, DateTimeOffset At, string Source, string Line)> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("""
            INSERT INTO run_logs (experiment_id, machine, sequence, at, source, line)
            SELECT @experiment, @machine, s, a, src, l FROM unnest(@sequences, @ats, @sources, @lines) AS x(s, a, src, l)
            ON CONFLICT (experiment_id, machine, sequence) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("experiment", experimentId));
        command.Parameters.Add(new NpgsqlParameter<string>("machine", machine));
        command.Parameters.Add(new NpgsqlParameter<long[]>("sequences", [.. lines.Select(l => l.Sequence)]));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", [.. lines.Select(l => l.At.ToUniversalTime())]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("sources", [.. lines.Select(l => l.Source)]));
        // PostgreSQL text cannot hold NUL, and UTF-8 cannot hold half a surrogate pair: a binary
        // byte or a broken character in a log must not lose the line (nor block the report).
        command.Parameters.Add(new NpgsqlParameter<string[]>("lines", [.. lines.Select(l => Storable(l.Line))]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The line with NUL and unpaired surrogates as U+FFFD (the text itself when it has neither, which is nearly always).</summary>
    internal static string Storable(string line)
    {
        // Encoding.UTF8 replaces what it cannot encode (half a pair) with U+FFFD; only lines with surrogates pay for the round trip.
        var text = line.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? line : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(line));
        return text.Replace('\0', '\uFFFD');
    }

    /// <summary>Lines after <paramref name="afterId"/> (0 = from the first), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredLogLine>> ReadAsync(string experimentId, long afterId, int limit, string? machine = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT id, machine, sequence, at, source, line FROM run_logs
            WHERE experiment_id = @experiment AND id > @after AND (@machine::text IS NULL OR machine = @machine)
            ORDER BY id LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("experiment", experimentId));
        command.Parameters.Add(new NpgsqlParameter<long>("after", afterId));
        command.Parameters.Add(new NpgsqlParameter("machine", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)machine ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var lines = new List<StoredLogLine>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(new StoredLogLine(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetString(5)));
        }

        return lines;
    }
}
