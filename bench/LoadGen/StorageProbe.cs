using System.Diagnostics;
using Fleet.OmegaWatt.Protocol;
using Fleet.OmegaWatt.Simulation;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.LoadGen;

/// <summary>
/// What the run cost PostgreSQL: the bytes Fleet's frame tables grew by, and the same samples
/// stored the naive way (one row per sample: time, box, channel, value, with an index), written
/// by binary COPY in the same run so size and write speed are ratios on the same machine.
/// </summary>
internal sealed class StorageProbe(NpgsqlDataSource dataSource)
{
    /// <summary>Fleet's tables holding frames and their rollups.</summary>
    private static readonly string[] FrameTables = ["sample_chunks", "power_1s", "power_1m", "power_1h"];

    public async Task<long> FleetBytesAsync()
    {
        // Partitioned tables (sample_chunks by day) hold nothing themselves: count their partitions.
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
            FROM pg_class c
            WHERE c.relkind = 'r'
              AND (c.relname = ANY($1) OR c.oid IN (SELECT i.inhrelid FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ANY($1)))
            """);
        command.Parameters.AddWithValue(FrameTables);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>Writes <paramref name="channelSamples"/> samples of a simulated box row by row; returns the bytes they take and the seconds it took.</summary>
    public async Task<(long Bytes, double Seconds)> WriteBaselineAsync(long channelSamples, int plugs)
    {
        await using (var create = dataSource.CreateCommand("""
            DROP TABLE IF EXISTS loadgen_row_per_sample;
            CREATE TABLE loadgen_row_per_sample (time timestamptz NOT NULL, box text NOT NULL, channel smallint NOT NULL, value real NOT NULL);
            CREATE INDEX loadgen_row_per_sample_key ON loadgen_row_per_sample (box, channel, time);
            """))
        {
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var simulator = new BoxSimulator(DemoBox.Options with { Plugs = plugs });
        var frame = new byte[simulator.FrameLength];
        var channels = FrameLayout.Phases + (2 * plugs);
        var volts = new float[FrameLayout.Phases];
        var currents = new float[plugs];
        var powers = new float[plugs];
        var decoder = new FrameDecoder();
        var start = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        await using (var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false))
        {
            await using var import = await connection.BeginBinaryImportAsync("COPY loadgen_row_per_sample (time, box, channel, value) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
            for (long written = 0, k = 0; written < channelSamples; k++)
            {
                simulator.WriteNextFrame(frame);
                ReadOnlySpan<byte> bytes = frame;
                decoder.TryReadFrame(ref bytes, out var decoded);
                decoded.CopyValuesTo(volts, currents, powers);
                var time = start.AddTicks(k * FrameLayout.FramePeriod.Ticks);
                for (var channel = 0; channel < channels && written < channelSamples; channel++, written++)
                {
                    var value = channel < FrameLayout.Phases ? volts[channel]
                        : (channel - FrameLayout.Phases) % 2 == 0 ? currents[(channel - FrameLayout.Phases) / 2]
                        : powers[(channel - FrameLayout.Phases) / 2];
                    await import.StartRowAsync().ConfigureAwait(false);
                    await import.WriteAsync(time, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await import.WriteAsync("baseline-box", NpgsqlDbType.Text).ConfigureAwait(false);
                    await import.WriteAsync((short)channel, NpgsqlDbType.Smallint).ConfigureAwait(false);
                    await import.WriteAsync(value, NpgsqlDbType.Real).ConfigureAwait(false);
                }
            }

            await import.CompleteAsync().ConfigureAwait(false);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await using var size = dataSource.CreateCommand("SELECT pg_total_relation_size('loadgen_row_per_sample')");
        var bytesUsed = (long)(await size.ExecuteScalarAsync().ConfigureAwait(false))!;
        await using (var drop = dataSource.CreateCommand("DROP TABLE loadgen_row_per_sample"))
        {
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return (bytesUsed, seconds);
    }
}
