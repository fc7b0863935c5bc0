using Fleet.Deploy.Tests.Support;
using Fleet.Storage.Tests.Support;
using Npgsql;

namespace Fleet.Deploy.Tests;

/// <summary>
/// The dashboards' SQL, with Grafana's macros expanded for the last hour, run against a fresh
/// database migrated by Fleet's MigrationRunner and holding one known experiment.
/// </summary>
public sealed class DashboardSqlTests : IClassFixture<DashboardSqlTests.SeededDatabase>
{
    private const string Experiment = "exp-a";
    private readonly SeededDatabase _database;

    public DashboardSqlTests(SeededDatabase database)
    {
        _database = database;
    }

    public static TheoryData<string, string> SqlQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var query in Dashboards.AllQueries().Where(q => q.DatasourceUid == "postgres"))
        {
            data.Add(query.Dashboard, query.Location);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SqlQueries))]
    public async Task Query_AgainstTheMigratedSchema_RunsAndReturnsRows(string dashboard, string location)
    {
        var rows = await RunAsync(dashboard, location);

        Assert.NotEmpty(rows);
    }

    [Theory]
    [MemberData(nameof(SqlQueries))]
    public async Task Query_AsFleetReader_RunsAndReturnsRows(string dashboard, string location)
    {
        // Grafana connects as fleet_reader: every query of the dashboards works with its grants alone.
        var rows = await RunAsync(dashboard, location, role: "fleet_reader");

        Assert.NotEmpty(rows);
    }

    [Fact]
    public void SqlQueries_AllThreeKinds_AreFound()
    {
        var locations = SqlQueries().Select(row => (string)row[1]).ToList();

        Assert.Contains(locations, l => l.StartsWith("panel", StringComparison.Ordinal));
        Assert.Contains(locations, l => l.StartsWith("variable", StringComparison.Ordinal));
        Assert.Contains(locations, l => l.StartsWith("annotation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PowerPerSecond_TwoSuppliesAndAMove_SumsTheSocketsValidAtEachSecond()
    {
        var rows = await RunAsync("fleet-experiment.json", "panel 'Power per machine (per second)' target A");
        double Watts(string machine, DateTime second) => Convert.ToDouble(rows.Single(r => (string)r["metric"] == machine && (DateTime)r["time"] == second)["value"], System.Globalization.CultureInfo.InvariantCulture);

        // Only the experiment's seconds, one point per machine and second.
        Assert.Equal(2 * 20 * 60, rows.Count);
        Assert.Equal(_database.Started, rows.Min(r => (DateTime)r["time"]));
        Assert.Equal(_database.Finished.AddSeconds(-1), rows.Max(r => (DateTime)r["time"]));
        // srv-1: 100 W on box-a:1 plus 50 W on box-b:4 (from 50 frames); the second where box-b sent no valid frame counts box-a only.
        Assert.Equal(150, Watts("srv-1", _database.Started.AddMinutes(5)), 6);
        Assert.Equal(100, Watts("srv-1", _database.NoDataSecond), 6);
        // srv-2 moved from box-a:2 (200 W) to box-a:3 (300 W) in the middle of the experiment.
        Assert.Equal(200, Watts("srv-2", _database.Moved.AddSeconds(-1)), 6);
        Assert.Equal(300, Watts("srv-2", _database.Moved), 6);
    }

    [Fact]
    public async Task PowerPerMinute_FullMinute_IsTheMeanOfItsSeconds()
    {
        var rows = await RunAsync("fleet-experiment.json", "panel 'Power per machine (per minute)' target A");

        Assert.Equal(2 * 20, rows.Count);
        var minute = rows.Single(r => (string)r["metric"] == "srv-1" && (DateTime)r["time"] == _database.Started.AddMinutes(5));
        Assert.Equal(150, Convert.ToDouble(minute["value"], System.Globalization.CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public async Task PhaseAnnotations_EachPhase_RunsToTheNextMarkOrTheEnd()
    {
        var rows = await RunAsync("fleet-experiment.json", "annotation 'Phases'");

        Assert.Equal(["warmup", "load", "cooldown"], rows.Select(r => (string)r["text"]));
        Assert.Equal([_database.Started.AddMinutes(5), _database.Started.AddMinutes(15), _database.Finished], rows.Select(r => (DateTime)r["timeend"]));
    }

    [Fact]
    public async Task ExperimentVariable_TwoExperiments_NewestFirst()
    {
        var rows = await RunAsync("fleet-experiment.json", "variable 'experiment'");

        Assert.Equal([Experiment, "exp-old"], rows.Select(r => (string)r["experiment_id"]));
    }

    [Fact]
    public async Task ResultsTable_Experiment_WholeExperimentRowFirstPerMachine()
    {
        var rows = await RunAsync("fleet-experiment.json", "panel 'Results' target A");

        Assert.Equal(
            [("srv-1", "(whole experiment)"), ("srv-1", "warmup"), ("srv-2", "(whole experiment)")],
            rows.Select(r => ((string)r["machine"], (string)r["phase"])));
    }

    [Fact]
    public void ExpandSql_UnknownMacro_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            GrafanaMacros.ExpandSql("SELECT 1 WHERE $__unixEpochFilter(x)", new Dictionary<string, string> { ["experiment"] = Experiment }));

        Assert.Contains("$__unixEpochFilter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandSql_MacrosAndQuotedVariable_BecomePlainSql()
    {
        var sql = GrafanaMacros.ExpandSql(
            "SELECT $__timeGroupAlias(p.second, '5m') FROM t WHERE $__timeFilter(p.second) AND id = ${experiment:sqlstring}",
            new Dictionary<string, string> { ["experiment"] = "it's" });

        Assert.Equal(
            "SELECT to_timestamp(floor(extract(epoch FROM p.second) / 300) * 300) AS \"time\" FROM t WHERE p.second BETWEEN now() - interval '1 hour' AND now() AND id = 'it''s'",
            sql);
    }

    private async Task<List<Dictionary<string, object>>> RunAsync(string dashboard, string location, string? role = null)
    {
        var query = Dashboards.AllQueries().Single(q => q.Dashboard == dashboard && q.Location == location);
        var sql = GrafanaMacros.ExpandSql(query.Text, new Dictionary<string, string> { ["experiment"] = Experiment });
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        if (role is not null)
        {
            // The test's superuser takes the role's privileges and no more (the pool resets it on return).
            await using var setRole = new NpgsqlCommand($"SET ROLE {role}", connection);
            await setRole.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// A migrated database with experiment exp-a (20 minutes ending 10 minutes ago, whole minutes) on
    /// srv-1 (two power supplies: box-a:1 at 100 W, box-b:4 at 50 W) and srv-2 (box-a:2 at 200 W,
    /// moved to box-a:3 at 300 W halfway), phase marks, results, and an older experiment.
    /// </summary>
    public sealed class SeededDatabase : IAsyncLifetime
    {
        private readonly MigratedDatabaseFixture _database = new();

        public NpgsqlDataSource DataSource => _database.DataSource;

        public DateTime Started { get; } = TruncateToMinute(DateTime.UtcNow).AddMinutes(-30);

        public DateTime Finished => Started.AddMinutes(20);

        public DateTime Moved => Started.AddMinutes(10);

        public DateTime NoDataSecond => Started.AddMinutes(12).AddSeconds(7);

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            // Several statements in one command: Npgsql cannot bind parameters to those, so the
            // times go in as literals (test data, not input).
            var sql = """
                INSERT INTO machines (name) VALUES ('srv-1'), ('srv-2'), ('srv-idle');
                INSERT INTO socket_assignments (machine, box_id, socket, valid_from, valid_to) VALUES
                    ('srv-1', 'box-a', 1, $1 - interval '1 day', NULL),
                    ('srv-1', 'box-b', 4, $1 - interval '1 day', NULL),
                    ('srv-2', 'box-a', 2, $1 - interval '1 day', $3),
                    ('srv-2', 'box-a', 3, $3, NULL),
                    ('srv-idle', 'box-a', 5, $1 - interval '1 day', NULL);
                -- Per-second rollups from 10 minutes before the experiment to 5 minutes after it.
                INSERT INTO power_1s (box_id, socket, second, frames, joules, min_w, max_w)
                SELECT s.box_id, s.socket, t, s.frames, s.joules, 0, 0
                FROM generate_series($1 - interval '10 minutes', $2 + interval '5 minutes' - interval '1 second', interval '1 second') AS t
                CROSS JOIN (VALUES ('box-a', 1, 100, 100.0), ('box-b', 4, 50, 25.0), ('box-a', 2, 100, 200.0), ('box-a', 3, 100, 300.0), ('box-a', 5, 100, 7.0))
                    AS s(box_id, socket, frames, joules);
                -- A second without a valid frame has no rollup row (the writer never stores an empty one).
                DELETE FROM power_1s WHERE box_id = 'box-b' AND second = $4;
                INSERT INTO experiments (experiment_id, name, status, created_at, started_at, finished_at) VALUES
                    ('exp-old', 'an older run', 'finished', $1 - interval '2 days', $1 - interval '2 days', $1 - interval '2 days' + interval '1 hour'),
                    ('exp-a', 'stress test', 'finished', $1 - interval '1 minute', $1, $2);
                INSERT INTO experiment_machines (experiment_id, machine) VALUES ('exp-a', 'srv-1'), ('exp-a', 'srv-2'), ('exp-old', 'srv-1');
                INSERT INTO marks (experiment_id, name, at) VALUES
                    ('exp-a', 'warmup', $1), ('exp-a', 'load', $1 + interval '5 minutes'), ('exp-a', 'cooldown', $1 + interval '15 minutes');
                INSERT INTO results (experiment_id, machine, phase, from_time, to_time, joules, mean_w, peak_w, frames, frames_expected, frames_interpolated, coverage) VALUES
                    ('exp-a', 'srv-2', '', $1, $2, 300000, 250, 300, 120000, 120000, 0, 1),
                    ('exp-a', 'srv-1', 'warmup', $1, $1 + interval '5 minutes', 45000, 150, 150, 45000, 60000, 0, 0.75),
                    ('exp-a', 'srv-1', '', $1, $2, 179900, 149.9, 150, 179950, 240000, 0, 0.75);
                """;
            DateTime[] times = [Started, Finished, Moved, NoDataSecond];
            for (var i = times.Length; i >= 1; i--)
            {
                sql = sql.Replace($"${i}", $"timestamptz '{times[i - 1]:yyyy-MM-dd'T'HH:mm:ss'Z'}'", StringComparison.Ordinal);
            }

            await using var command = DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        public Task DisposeAsync() => _database.DisposeAsync();

        private static DateTime TruncateToMinute(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
    }
}
