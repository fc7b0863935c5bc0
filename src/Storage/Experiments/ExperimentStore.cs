using Fleet.Storage.Runs;
using Npgsql;

namespace Fleet.Storage.Experiments;

/// <summary>Publishes experiments, their marks and results to SQL, where Grafana and reports read them.</summary>
public sealed class ExperimentStore
{
    private readonly NpgsqlDataSource _dataSource;

    public ExperimentStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>
    /// Writes the experiment's current row, machines, marks and results (and for a command run by
    /// runners, each machine's run and the component energy), replacing the previous version.
    /// </summary>
    public async Task SaveAsync(
        ExperimentRecord experiment,
        IReadOnlyList<ResultRow> results,
        IReadOnlyList<RunRow>? runs = null,
        IReadOnlyList<ComponentResultRow>? components = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(results);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO experiments (experiment_id, name, status, started_at, finished_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (experiment_id) DO UPDATE SET name = excluded.name, status = excluded.status,
                    started_at = excluded.started_at, finished_at = excluded.finished_at
                """, experiment.ExperimentId, experiment.Name, experiment.Status, experiment.StartedAt, experiment.FinishedAt));
            batch.BatchCommands.Add(Command("INSERT INTO machines (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", (object)experiment.Machines.ToArray()));
            batch.BatchCommands.Add(Command("DELETE FROM experiment_machines WHERE experiment_id = $1", experiment.ExperimentId));
            batch.BatchCommands.Add(Command("INSERT INTO experiment_machines (experiment_id, machine) SELECT $1, unnest($2::text[])", experiment.ExperimentId, experiment.Machines.ToArray()));
            batch.BatchCommands.Add(Command("DELETE FROM marks WHERE experiment_id = $1", experiment.ExperimentId));
            batch.BatchCommands.Add(Command(
                "INSERT INTO marks (experiment_id, name, at) SELECT $1, n, a FROM unnest($2::text[], $3::timestamptz[]) AS m(n, a) ON CONFLICT DO NOTHING",
                experiment.ExperimentId,
                experiment.Marks.Select(m => m.Name).ToArray(),
                experiment.Marks.Select(m => m.At.ToUniversalTime()).ToArray()));
            batch.BatchCommands.Add(Command("DELETE FROM results WHERE experiment_id = $1", experiment.ExperimentId));
            foreach (var r in results)
            {
                batch.BatchCommands.Add(Command(
                    "INSERT INTO results VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    experiment.ExperimentId, r.Machine, r.Phase, r.From.ToUniversalTime(), r.To.ToUniversalTime(), r.Joules, r.MeanWatts, r.PeakWatts, r.Frames, r.FramesExpected, r.FramesInterpolated, r.Coverage));
            }

            if (runs is not null)
            {
                batch.BatchCommands.Add(Command("DELETE FROM experiment_runs WHERE experiment_id = $1", experiment.ExperimentId));
                foreach (var r in runs)
                {
                    batch.BatchCommands.Add(Command(
                        "INSERT INTO experiment_runs VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        experiment.ExperimentId, r.Machine, r.Host, r.StartedAt?.ToUniversalTime(), r.EndedAt?.ToUniversalTime(), r.ExitCode, r.Error));
                }
            }

            if (components is not null)
            {
                batch.BatchCommands.Add(Command("DELETE FROM component_results WHERE experiment_id = $1", experiment.ExperimentId));
                foreach (var c in components)
                {
                    batch.BatchCommands.Add(Command(
                        "INSERT INTO component_results VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        experiment.ExperimentId, c.Machine, c.Phase, c.Component, c.Source, c.Joules, c.Missing));
                }
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
