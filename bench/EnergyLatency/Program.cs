using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fleet.Storage.Energy;
using Fleet.Storage.Migrations;
using Fleet.Storage.Samples;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

// Energy of one socket over 1 h, 24 h, 7 d and 1 y of stored data: the rollup levels
// (EnergyQueries) against one level (every 1 s rollup of the window scanned), same database,
// same windows, alternating. Raw 100 Hz frames of the last --raw-hours go through the real
// SampleWriter; the 1 s rollups before them are loaded directly (COPY), and the minute and
// hour rollups made from them by the same aggregation the writer does.
var postgres = new Option<string>("--postgres") { Description = "An empty database (Npgsql connection string).", Required = true };
var rawHours = new Option<int>("--raw-hours") { Description = "Hours of raw 100 Hz frames written through SampleWriter.", DefaultValueFactory = _ => 24 };
var rollupDays = new Option<int>("--rollup-days") { Description = "Days of 1 s rollups loaded directly before the raw frames.", DefaultValueFactory = _ => 366 };
var runs = new Option<int>("--runs") { Description = "Queries per window and method.", DefaultValueFactory = _ => 21 };
var root = new RootCommand("Energy query latency over long windows, rollup levels against the 1 s rollups alone.") { postgres, rawHours, rollupDays, runs };
root.SetAction(async (parse, cancellationToken) =>
{
    await using var dataSource = NpgsqlDataSource.Create(parse.GetValue(postgres)!);
    await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(cancellationToken).ConfigureAwait(false);
    const string Box = "latency-box";
    var end = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    var rawStart = end.AddHours(-parse.GetValue(rawHours));
    var rollupStart = rawStart.AddDays(-parse.GetValue(rollupDays));

    var watch = Stopwatch.StartNew();
    var writer = new SampleWriter(dataSource);
    var random = new Random(1);
    const int Plugs = 6;
    const int FramesPerBlock = 10_000;
    var frames = (long)(end - rawStart).TotalSeconds * 100;
    for (long first = 0, sequence = 1; first < frames; first += FramesPerBlock, sequence++)
    {
        var count = (int)Math.Min(FramesPerBlock, frames - first);
        var times = new long[count];
        var powers = new float[count * Plugs];
        for (var k = 0; k < count; k++)
        {
            times[k] = ((rawStart - DateTimeOffset.UnixEpoch).Ticks / 10) + ((first + k) * 10_000);
            for (var p = 0; p < Plugs; p++)
            {
                powers[(k * Plugs) + p] = 80f + (40f * random.NextSingle());
            }
        }

        await writer.WriteAsync(new SampleBlock(Box, "bench", sequence, "bench", "bench", Plugs, times, [.. Enumerable.Range(0, count).Select(k => (int)((first + k) % 65536))],
            [.. Enumerable.Repeat(true, count)], [.. Enumerable.Repeat(230f, 3 * count)], [.. powers.Select(p => p / 230f)], powers), cancellationToken).ConfigureAwait(false);
        if (sequence % 100 == 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw frames: {first + count:N0} of {frames:N0} ({watch.Elapsed.TotalSeconds:F0} s)"));
        }
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw: {frames:N0} frames through SampleWriter in {watch.Elapsed.TotalSeconds:F0} s; loading 1 s rollups..."));
    await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
    {
        await using (var import = await connection.BeginBinaryImportAsync("COPY power_1s (box_id, socket, second, frames, joules, min_w, max_w) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (var second = rollupStart; second < rawStart; second = second.AddSeconds(1))
            {
                var watts = 80f + (40f * random.NextSingle());
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(Box, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync((short)1, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(second, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(100, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(watts * 1.0, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(watts - 1, NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(watts + 1, NpgsqlDbType.Real, cancellationToken).ConfigureAwait(false);
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (table, column, unit) in new[] { ("power_1m", "minute", "minute"), ("power_1h", "hour", "hour") })
        {
            await using var aggregate = new NpgsqlCommand($"""
                INSERT INTO {table} (box_id, socket, {column}, frames, joules, min_w, max_w, first_second, last_second)
                SELECT box_id, socket, date_trunc('{unit}', second, 'UTC'), sum(frames), sum(joules), min(min_w), max(max_w), min(second), max(second)
                FROM power_1s WHERE box_id = @box AND second < @raw GROUP BY 1, 2, 3
                ON CONFLICT (box_id, socket, {column}) DO UPDATE SET frames = {table}.frames + excluded.frames, joules = {table}.joules + excluded.joules,
                    min_w = least({table}.min_w, excluded.min_w), max_w = greatest({table}.max_w, excluded.max_w),
                    first_second = least({table}.first_second, excluded.first_second), last_second = greatest({table}.last_second, excluded.last_second)
                """, connection) { CommandTimeout = 0 };
            aggregate.Parameters.Add(new NpgsqlParameter<string>("box", Box));
            aggregate.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("raw", rawStart));
            await aggregate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var vacuum in (string[])["VACUUM ANALYZE power_1s", "VACUUM ANALYZE power_1m", "VACUUM ANALYZE power_1h"])
        {
            await using var analyze = new NpgsqlCommand(vacuum, connection) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded in {watch.Elapsed.TotalSeconds:F0} s; querying..."));
    var energy = new EnergyQueries(dataSource);
    Console.WriteLine("| window | rows of 1 s rollups in it | rollup levels: median ms (p90) | 1 s rollups alone: median ms (p90) | ratio | joules equal |");
    Console.WriteLine("|---|---:|---:|---:|---:|---|");
    foreach (var (label, span) in new[] { ("1 h", TimeSpan.FromHours(1)), ("24 h", TimeSpan.FromHours(24)), ("7 d", TimeSpan.FromDays(7)), ("1 y", TimeSpan.FromDays(365)) })
    {
        // Edges off the second, so both methods read raw frames at both ends; the window ends in the raw hours.
        var to = end.AddMinutes(-17).AddMilliseconds(-333);
        var from = to - span + TimeSpan.FromMilliseconds(123);
        if (from < rollupStart)
        {
            continue;
        }

        var levels = new List<double>();
        var flat = new List<double>();
        double levelJoules = 0, flatJoules = 0;
        for (var k = 0; k < parse.GetValue(runs); k++)
        {
            var t = Stopwatch.GetTimestamp();
            levelJoules = (await energy.GetSocketEnergyAsync(Box, 1, from, to, cancellationToken).ConfigureAwait(false)).Joules;
            levels.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            t = Stopwatch.GetTimestamp();
            flatJoules = await FlatAsync(dataSource, Box, from, to, cancellationToken).ConfigureAwait(false);
            flat.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        var rows = (long)span.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {rows:N0} | {Median(levels):F1} ({P90(levels):F1}) | {Median(flat):F1} ({P90(flat):F1}) | {Median(flat) / Median(levels):F1}× | {(Math.Abs(levelJoules - flatJoules) <= 1e-9 * flatJoules ? "yes" : $"no: {levelJoules} vs {flatJoules}")} |"));
    }

    return 0;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static double P90(List<double> values) => values.Order().ElementAt((int)(values.Count * 0.9));

// The baseline: every whole second of the window from power_1s, the edges from the raw frames.
static async Task<double> FlatAsync(NpgsqlDataSource dataSource, string box, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
{
    var innerFrom = from.UtcTicks % TimeSpan.TicksPerSecond == 0 ? from : from.AddTicks(TimeSpan.TicksPerSecond - (from.UtcTicks % TimeSpan.TicksPerSecond));
    var innerTo = to.AddTicks(-(to.UtcTicks % TimeSpan.TicksPerSecond));
    await using var command = dataSource.CreateCommand("""
        SELECT coalesce(sum(r.joules), 0) FROM power_1s r
        WHERE r.box_id = @box AND r.socket = 1 AND r.second >= @inner_from AND r.second < @inner_to
        """);
    command.Parameters.Add(new NpgsqlParameter<string>("box", box));
    command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("inner_from", innerFrom));
    command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("inner_to", innerTo));
    var joules = (double)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

    // The partial seconds at the edges, decoded from their raw chunks.
    await using var edges = dataSource.CreateCommand($"""
        SELECT {ChunkRowReader.Columns} FROM sample_chunks
        WHERE box_id = @box AND second >= date_trunc('second', @from) AND second < @to AND (second < @inner_from OR second >= @inner_to)
        """);
    edges.Parameters.Add(new NpgsqlParameter<string>("box", box));
    edges.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from));
    edges.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to));
    edges.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("inner_from", innerFrom));
    edges.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("inner_to", innerTo));
    var fromMicroseconds = (from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    var toMicroseconds = (to.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    var chunks = new ChunkRowReader();
    await using var reader = await edges.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
    {
        var frames = chunks.Read(reader);
        for (var k = 0; k < frames.Count; k++)
        {
            var at = frames.TimesUnixMicroseconds[k];
            if (frames.Valid[k] && at >= fromMicroseconds && at < toMicroseconds)
            {
                joules += frames.PowersWatts[k * frames.Plugs] * 0.01;
            }
        }
    }

    return joules;
}
