using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.EndToEnd.Tests.Support;
using Fleet.Storage.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.EndToEnd.Tests;

/// <summary>
/// `fleet import` run as a process against a real silo on PostgreSQL: vendor CSV logs into the
/// 10 ms storage (round trip through /api/export, the one-hour offset, re-import, bad lines) and
/// the box's low-frequency TSV into its own table.
/// </summary>
public sealed class ImportTests : IClassFixture<ImportTests.ImportEnvironment>
{
    /// <summary>The log's clock: one hour ahead of UTC, the documented problem.</summary>
    private static readonly DateTimeOffset LogStart = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset UtcStart = LogStart.AddHours(-1);
    private const long HourNanoseconds = 3_600_000_000_000;
    private readonly ExpectedCapture _noisy = Fixtures.Expected("noisy-6plugs");
    private readonly ImportEnvironment _stack;

    public ImportTests(ImportEnvironment stack) => _stack = stack;

    [Fact]
    public async Task Import_NoisyCaptureWithOffset_RoundTripsEveryValueAndShiftsTimesByOneHour()
    {
        var result = await ImportJsonAsync(_stack.NoisyCsv, "--box", "rt-a", "--utc-offset", "+01:00");
        var exported = await ExportAsync("rt-a", UtcStart.AddSeconds(-1), UtcStart.AddMinutes(1));

        var input = DataLines(await File.ReadAllTextAsync(_stack.NoisyCsv));
        Assert.Equal(_noisy.FramesValid + _noisy.FramesInvalid, result.GetProperty("frames").GetInt64());
        Assert.Equal(_noisy.FramesValid, result.GetProperty("frames_valid").GetInt64());
        Assert.Equal(input.Count, result.GetProperty("frames_stored").GetInt64());
        Assert.Equal(0, result.GetProperty("skipped_lines").GetInt64());
        Assert.Equal(input.Count, exported.Count);
        for (var k = 0; k < input.Count; k++)
        {
            var (inTime, inValues) = Split(input[k]);
            var (outTime, outValues) = Split(exported[k]);
            Assert.Equal(inTime - HourNanoseconds, outTime);
            Assert.Equal(inValues, outValues);
        }

        for (var socket = 1; socket <= 6; socket++)
        {
            var energy = await GetJsonAsync($"/api/energy?box=rt-a&socket={socket}&from={Iso(UtcStart)}&to={Iso(UtcStart.AddMinutes(1))}");
            var expected = _noisy.EnergyJoules[socket - 1];
            Assert.Equal(expected, energy.GetProperty("joules").GetDouble(), Math.Max(1e-4 * expected, 1e-6));
            Assert.Equal(_noisy.FramesValid, energy.GetProperty("frames").GetInt64());
        }
    }

    [Fact]
    public async Task Import_SameFileTwice_StoresNothingTheSecondTime()
    {
        var first = await ImportJsonAsync(_stack.NoisyCsv, "--box", "rt-b");
        var before = await CountFramesAsync("rt-b");
        var second = await ImportJsonAsync(_stack.NoisyCsv, "--box", "rt-b");
        var after = await CountFramesAsync("rt-b");

        Assert.Equal(3, first.GetProperty("batches_stored").GetInt64());
        Assert.Equal(first.GetProperty("frames").GetInt64(), before.Frames);
        Assert.Equal(0, second.GetProperty("frames_stored").GetInt64());
        Assert.Equal(0, second.GetProperty("batches_stored").GetInt64());
        Assert.Equal(3, second.GetProperty("batches_already_stored").GetInt64());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Import_OneDecimalVendorLog_KeepsValuesAtThatPrecisionAndTimesToTheMicrosecond()
    {
        var rows = new List<string> { Header(6) };
        var start = 1_764_000_000L;
        for (var k = 0; k < 1500; k++)
        {
            // Vendor jitter: nanoseconds that are not whole microseconds.
            var time = string.Create(CultureInfo.InvariantCulture, $"{start + (k / 100)}.{((k % 100) * 10_000_000) + 4_241_015:D9}");
            rows.Add(k == 700
                ? time + ",false" + new string(',', 3 + 12)
                : time + ",true," + string.Create(CultureInfo.InvariantCulture, $"{230 + (k % 7 * 0.3):F1},0.0,0.0,")
                    + string.Join(',', Enumerable.Range(1, 6).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p * 0.1 + (k % 3 * 0.1):F1},{p * 20.9 + (k % 11):F1}"))));
        }

        var path = Path.Combine(_stack.Directory, "one-decimal.csv");
        await File.WriteAllTextAsync(path, string.Join('\n', rows) + "\n");

        var result = await ImportJsonAsync(path, "--box", "vendor-1dp");
        var exported = await ExportAsync("vendor-1dp", DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(start + 20));

        Assert.Equal(1500, result.GetProperty("frames").GetInt64());
        Assert.Equal(1500, exported.Count);
        for (var k = 0; k < 1500; k++)
        {
            var (inTime, inValues) = Split(rows[k + 1]);
            var (outTime, outValues) = Split(exported[k]);
            Assert.Equal(inTime / 1000 * 1000, outTime);
            Assert.Equal(inValues.Length, outValues.Length);
            Assert.Equal(inValues[0], outValues[0]);
            for (var f = 1; f < inValues.Length; f++)
            {
                Assert.Equal(Decimal(inValues[f]), Decimal(outValues[f]));
            }
        }
    }

    [Fact]
    public async Task Import_MalformedLinesInTheMiddle_ListsThemByLineAndKeepsTheValidOnes()
    {
        var lines = (await File.ReadAllTextAsync(_stack.NoisyCsv)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var good = lines.Count - 1;
        var fields = lines[lines.FindIndex(100, l => l.Contains(",true,", StringComparison.Ordinal))].Split(',');
        fields[8] = "nan";
        lines.Insert(100, string.Join(',', fields));                  // line 101
        lines.Insert(1001, string.Join(',', fields[..10]));           // line 1002
        lines.Insert(2002, "17640x0000.5," + string.Join(',', fields[1..])); // line 2003
        var path = Path.Combine(_stack.Directory, "malformed.csv");
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n");

        var run = await FleetAsync("import", path, "--box", "bad-lines", "--json");
        var result = JsonDocument.Parse(run.Output).RootElement;
        var exported = await ExportAsync("bad-lines", LogStart.AddSeconds(-1), LogStart.AddMinutes(1));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("line 101: field 9 is 'nan', not a number", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 1002: expected 17 fields, found 10", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 2003: bad timestamp '17640x0000.5'", run.Error, StringComparison.Ordinal);
        Assert.Contains("3 lines skipped", run.Error, StringComparison.Ordinal);
        Assert.Equal(3, result.GetProperty("skipped_lines").GetInt64());
        Assert.Equal([101L, 1002L, 2003L], result.GetProperty("skipped").EnumerateArray().Select(e => e.GetProperty("line").GetInt64()));
        Assert.Equal(good, result.GetProperty("frames_stored").GetInt64());
        Assert.Equal(good, exported.Count);
    }

    [Theory]
    [InlineData("binary", "a raw capture of a box's serial port")]
    [InlineData("time,power\n1764000000.0,20.5\n", "not a wattmeter CSV header")]
    [InlineData("#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,#current2,#activepow2,#current3,#activepow3,#current4,#activepow4,#current5,#activepow5,#voltage6,#activepow6\n", "header column 16 is '#voltage6', expected '#current6'")]
    public async Task Import_NotAVendorCsv_OneClearLineNonZeroAndNothingStored(string content, string expected)
    {
        var path = Path.Combine(_stack.Directory, $"not-a-log-{Guid.NewGuid():N}.csv");
        if (content == "binary")
        {
            File.Copy(Fixtures.Capture("noisy-6plugs"), path);
        }
        else
        {
            await File.WriteAllTextAsync(path, content);
        }

        var run = await FleetAsync("import", path, "--box", "never-stored");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(HttpStatusCode.NotFound, (await _stack.Silo.Http.GetAsync("/api/boxes/never-stored")).StatusCode);
        Assert.Equal(0, (await CountFramesAsync("never-stored")).Frames);
    }

    [Theory]
    [InlineData("is not a valid box id", "--box", "bad box!")]
    [InlineData("is not an offset", "--box", "rt-z", "--utc-offset", "one hour")]
    [InlineData("--time-zone is for --format box-tsv", "--box", "rt-z", "--time-zone", "+01:00")]
    public async Task Import_BadOptions_OneClearLineAndNonZeroExit(string expected, params string[] options)
    {
        var run = await FleetAsync(["import", _stack.NoisyCsv, .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SiloUnreachable_SaysSoAndExits1()
    {
        var run = await ScriptedScenarioTests.Scenario.RunAsync(["import", _stack.NoisyCsv, "--box", "rt-x", "--url", $"http://127.0.0.1:{FreePorts.Next()}"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot reach the Fleet silo", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Import_SamePeriodFromAnotherLog_RefusedWithoutDoublingTheEnergy()
    {
        Assert.Equal(0, (await FleetAsync("import", _stack.NoisyCsv, "--box", "rt-c")).ExitCode);

        // The same period logged with a clock 5 ms off: other frames over stored ones.
        var run = await FleetAsync("import", _stack.NoisyCsv, "--box", "rt-c", "--utc-offset", "-00:00:00.005");
        var energy = await GetJsonAsync($"/api/energy?box=rt-c&socket=3&from={Iso(LogStart)}&to={Iso(LogStart.AddMinutes(1))}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already has frames between", run.Error, StringComparison.Ordinal);
        Assert.Equal(_noisy.EnergyJoules[2], energy.GetProperty("joules").GetDouble(), 1e-4 * _noisy.EnergyJoules[2]);
    }

    [Fact]
    public async Task Import_SameFramesFromAnotherFile_AlreadyStoredNothingDoubled()
    {
        Assert.Equal(0, (await FleetAsync("import", _stack.NoisyCsv, "--box", "rt-copy")).ExitCode);
        var copy = Path.Combine(_stack.Directory, "copied-log.csv");
        await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(_stack.NoisyCsv)) + "\n");

        // Another file (another source id) with the very same frames: idempotent by content.
        var run = await FleetAsync("import", copy, "--box", "rt-copy", "--json");
        var energy = await GetJsonAsync($"/api/energy?box=rt-copy&socket=3&from={Iso(LogStart)}&to={Iso(LogStart.AddMinutes(1))}");

        Assert.True(run.ExitCode == 0, run.Error);
        using var summary = JsonDocument.Parse(run.Output);
        Assert.Equal(0, summary.RootElement.GetProperty("frames_stored").GetInt64());
        Assert.Equal(_noisy.EnergyJoules[2], energy.GetProperty("joules").GetDouble(), 1e-4 * _noisy.EnergyJoules[2]);
    }

    [Fact]
    public async Task FramesEndpoint_TimesNotIncreasing_400NamingTheLines()
    {
        var response = await _stack.Silo.Http.PostAsJsonAsync("/api/boxes/rt-api/frames", new Dictionary<string, object>
        {
            ["source_id"] = "test",
            ["sequence"] = 1,
            ["plugs"] = 6,
            ["times_unix_microseconds"] = new long[] { 1_000_000, 1_010_000, 1_005_000 },
            ["valid"] = new[] { true, true, true },
            ["voltages_volts"] = new float[9],
            ["currents_amperes"] = new float[18],
            ["powers_watts"] = new float[18],
            ["lines"] = new long[] { 10, 11, 13 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("frame times must increase: lines 11-13", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await CountFramesAsync("rt-api")).Frames);
    }

    [Fact]
    public async Task BoxTsv_TwoDaysOfMinutesAtPlusOne_StoredInUtcWithTheirEnergyAndReimportedAsUnchanged()
    {
        var localStart = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var (path, watts) = await WriteTsvAsync("two-days.tsv", localStart, 2880, 60, ".");

        var first = await ImportJsonAsync(path, "--format", "box-tsv", "--box", "lf-a", "--time-zone", "+01:00");
        var second = await ImportJsonAsync(path, "--format", "box-tsv", "--box", "lf-a", "--time-zone", "+01:00");
        var utcStart = new DateTimeOffset(localStart, TimeSpan.FromHours(1));
        var read = await GetJsonAsync($"/api/boxes/lf-a/low-frequency?socket=2&from={Iso(utcStart)}&to={Iso(utcStart.AddDays(2))}");

        Assert.Equal(2880, first.GetProperty("rows").GetInt64());
        Assert.Equal([1, 2, 3], first.GetProperty("sockets").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(60, first.GetProperty("step_seconds").GetInt64());
        Assert.True(first.GetProperty("step_inferred").GetBoolean());
        Assert.Equal(8640, first.GetProperty("inserted").GetInt64());
        Assert.Equal(0, second.GetProperty("inserted").GetInt64());
        Assert.Equal(8640, second.GetProperty("unchanged").GetInt64());
        Assert.Equal("low_frequency", read.GetProperty("resolution").GetString());
        Assert.Equal(60, read.GetProperty("step_seconds").GetInt32());
        var points = read.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(2880, points.Count);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero), points[0].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 22, 59, 0, TimeSpan.Zero), points[^1].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(watts.Select(w => w[1]), points.Select(p => p.GetProperty("mean_watts").GetDouble()));
        var joules = watts.Sum(w => w[1] * 60);
        Assert.Equal(joules, read.GetProperty("joules").GetDouble(), 1e-9 * joules);
        Assert.Equal(1.0, read.GetProperty("coverage").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task BoxTsv_DecimalCommaExplicitColumnsAndStep_Imports()
    {
        var path = Path.Combine(_stack.Directory, "mapped.tsv");
        await File.WriteAllTextAsync(path, "Date\tU\tcol_a\tcol_b\r\n2026-05-01 10:00:00\t230,1\t12,5\t7,25\r\n2026-05-01 10:10:00\t230,2\t13,5\t8\r\n2026-05-01 10:30:00\t230,3\t-1,5\t9,75\r\n");

        var result = await ImportJsonAsync(path, "--format", "box-tsv", "--box", "lf-b", "--time-column", "date", "--power-columns", "1=col_b,4=3", "--step-seconds", "600");
        var socket1 = await GetJsonAsync("/api/boxes/lf-b/low-frequency?socket=1&from=2026-05-01T10:00:00Z&to=2026-05-01T11:00:00Z");
        var socket4 = await GetJsonAsync("/api/boxes/lf-b/low-frequency?socket=4&from=2026-05-01T10:05:00Z&to=2026-05-01T11:00:00Z");

        Assert.Equal([1, 4], result.GetProperty("sockets").EnumerateArray().Select(s => s.GetInt32()));
        Assert.False(result.GetProperty("step_inferred").GetBoolean());
        Assert.Equal([7.25, 8, 9.75], socket1.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("mean_watts").GetDouble()));
        Assert.Equal((7.25 + 8 + 9.75) * 600, socket1.GetProperty("joules").GetDouble(), 1e-9);
        Assert.Equal(1800.0 / 3600, socket1.GetProperty("coverage").GetDouble(), 1e-12);

        // The window starts 5 minutes into the first step: only its second half counts.
        Assert.Equal((12.5 * 300) + (13.5 * 600) + (-1.5 * 600), socket4.GetProperty("joules").GetDouble(), 1e-9);
    }

    [Theory]
    [InlineData("line 3, column 1 ('time'): '01.03.2026 00:01' is not a time", "time-format")]
    [InlineData("line 5, column 3 ('P2'): 'abc' is not a power in watts", "power")]
    [InlineData("--power-columns 1='P9' is not a column of the header", "mapping")]
    [InlineData("line 4: 2 tab-separated fields, the header has 4", "fields")]
    [InlineData("line 1: no power column in the header", "no-power")]
    public async Task BoxTsv_LayoutItDoesNotUnderstand_FailsNamingLineAndColumnAndStoresNothing(string expected, string defect)
    {
        var lines = new List<string> { "time\tP1\tP2\tP3" };
        for (var k = 0; k < 6; k++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"2026-03-01 00:{k:D2}:00\t{10 + k}\t{20 + k}\t{30 + k}"));
        }

        string[] extra = [];
        switch (defect)
        {
            case "time-format": lines[2] = "01.03.2026 00:01\t1\t2\t3"; break;
            case "power": lines[4] = "2026-03-01 00:03:00\t1\tabc\t3"; break;
            case "mapping": extra = ["--power-columns", "1=P9"]; break;
            case "fields": lines[3] = "2026-03-01 00:02:00\t1"; break;
            case "no-power": lines[0] = "time\tvolts\tamps\tpf"; break;
        }

        var box = $"lf-bad-{defect}";
        var path = Path.Combine(_stack.Directory, box + ".tsv");
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n");

        var run = await FleetAsync(["import", "--format", "box-tsv", path, "--box", box, .. extra]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var read = await _stack.Silo.Http.GetAsync($"/api/boxes/{box}/low-frequency?socket=1&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task BoxTsv_SameWindowAsTenMillisecondFrames_NeverCountedInEnergy()
    {
        Assert.Equal(0, (await FleetAsync("import", _stack.NoisyCsv, "--box", "mixed", "--utc-offset", "+01:00")).ExitCode);
        var (path, watts) = await WriteTsvAsync("mixed.tsv", UtcStart.AddMinutes(-10).UtcDateTime, 30, 60, ".");
        Assert.Equal(0, (await FleetAsync("import", "--format", "box-tsv", path, "--box", "mixed")).ExitCode);

        var energy = await GetJsonAsync($"/api/energy?box=mixed&socket=3&from={Iso(UtcStart.AddMinutes(-10))}&to={Iso(UtcStart.AddMinutes(20))}");
        var series = await GetJsonAsync($"/api/series?box=mixed&socket=3&from={Iso(UtcStart.AddMinutes(-10))}&to={Iso(UtcStart.AddMinutes(20))}&step=60");
        var lowFrequency = await GetJsonAsync($"/api/boxes/mixed/low-frequency?socket=3&from={Iso(UtcStart.AddMinutes(-10))}&to={Iso(UtcStart.AddMinutes(20))}");

        Assert.Equal(_noisy.EnergyJoules[2], energy.GetProperty("joules").GetDouble(), 1e-4 * _noisy.EnergyJoules[2]);
        Assert.Equal(_noisy.FramesValid, energy.GetProperty("frames").GetInt64());
        Assert.Single(series.GetProperty("points").EnumerateArray());
        Assert.Equal(watts.Sum(w => w[2] * 60), lowFrequency.GetProperty("joules").GetDouble(), 1e-6);
    }

    private async Task<(string Path, List<double[]> Watts)> WriteTsvAsync(string name, DateTime localStart, int rows, int stepSeconds, string point)
    {
        var text = new StringBuilder("time\tU1\tP1\tP2\tP3\tE_total\n");
        var watts = new List<double[]>();
        for (var k = 0; k < rows; k++)
        {
            var values = Enumerable.Range(1, 3).Select(s => Math.Round((s * 100) + (k % 37 * 0.25) + (s * k % 5 * 1.01), 2)).ToArray();
            watts.Add(values);
            text.Append(localStart.AddSeconds((double)k * stepSeconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
                .Append("\t230.5\t")
                .AppendJoin('\t', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture).Replace(".", point, StringComparison.Ordinal)))
                .Append('\t').Append(k).Append('\n');
        }

        var path = Path.Combine(_stack.Directory, name);
        await File.WriteAllTextAsync(path, text.ToString());
        return (path, watts);
    }

    private async Task<JsonElement> ImportJsonAsync(params string[] arguments)
    {
        var run = await FleetAsync(["import", .. arguments, "--json"]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    private Task<(int ExitCode, string Output, string Error)> FleetAsync(params string[] arguments) =>
        ScriptedScenarioTests.Scenario.FleetAsync(_stack.Silo, arguments);

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await _stack.Silo.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<List<string>> ExportAsync(string box, DateTimeOffset from, DateTimeOffset to) =>
        DataLines(await _stack.Silo.Http.GetStringAsync($"/api/export?box={box}&from={Iso(from)}&to={Iso(to)}"));

    private async Task<(long Chunks, long Frames)> CountFramesAsync(string box)
    {
        await using var command = _stack.Postgres.DataSource.CreateCommand(
            "SELECT count(*), coalesce(sum(frames), 0) FROM sample_chunks WHERE box_id = @box");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string>("box", box));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static List<string> DataLines(string csv) => [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];

    /// <summary>A vendor CSV row: its timestamp in nanoseconds and the rest of its fields as text.</summary>
    private static (long UnixNanoseconds, string[] Values) Split(string row)
    {
        var fields = row.TrimEnd('\r').Split(',');
        var dot = fields[0].IndexOf('.', StringComparison.Ordinal);
        var seconds = long.Parse(fields[0][..dot], CultureInfo.InvariantCulture);
        var fraction = long.Parse(fields[0][(dot + 1)..].PadRight(9, '0'), CultureInfo.InvariantCulture);
        return ((seconds * 1_000_000_000) + fraction, fields[1..]);
    }

    private static decimal? Decimal(string text) => text.Length == 0 ? null : decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Header(int plugs) =>
        "#timestamp,#frame_is_ok,#U1,#U2,#U3," + string.Join(',', Enumerable.Range(1, plugs).Select(k => $"#current{k},#activepow{k}"));

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One silo on a fresh database for the class, and the noisy capture decoded to a vendor CSV whose clock is one hour ahead.</summary>
    public sealed class ImportEnvironment : IAsyncLifetime
    {
        public PostgresFixture Postgres { get; } = new();

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("fleet-import-").FullName;

        public SiloProcess Silo { get; private set; } = null!;

        public string NoisyCsv => Path.Combine(Directory, "noisy.csv");

        public async Task InitializeAsync()
        {
            await Postgres.InitializeAsync();
            Silo = new SiloProcess(Postgres.DataSource.ConnectionString);
            await Silo.StartAsync();
            var decode = await ScriptedScenarioTests.Scenario.RunAsync(["decode", Fixtures.Capture("noisy-6plugs"), "--start", Iso(LogStart), "-o", NoisyCsv]);
            Assert.True(decode.ExitCode == 0, decode.Error);
        }

        public async Task DisposeAsync()
        {
            Silo.Dispose();
            await Postgres.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
