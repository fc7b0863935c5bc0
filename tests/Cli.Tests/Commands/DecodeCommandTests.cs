using System.Globalization;
using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Cli.Tests.Commands;

/// <summary>`fleet decode` as a process, against the independent fixtures and generator.</summary>
public sealed class DecodeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-cli-").FullName;

    public static TheoryData<string> SharedFixtures => new(Fixtures.Names);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(SharedFixtures))]
    public async Task Raw_SharedFixture_ReproducesExpectedCsvAndCounts(string name)
    {
        await AssertRawDecodeMatchesAsync(Fixtures.Expected(name));
    }

    [Theory]
    [InlineData("--seed", "21", "--plugs", "12", "--noise")]
    [InlineData("--seed", "22", "--plugs", "42", "--frames", "500", "--noise", "--first-id", "65400")]
    [InlineData("--seed", "23", "--plugs", "6", "--frames", "5000", "--noise")]
    [InlineData("--seed", "24", "--plugs", "6", "--frames", "40000", "--noise")]
    public async Task Raw_GeneratedCapture_ReproducesExpectedCsvAndCounts(params string[] arguments)
    {
        await AssertRawDecodeMatchesAsync(ExpectedCapture.Load(Fixtures.Generate(_directory, "gen", arguments)));
    }

    [Fact]
    public async Task Default_WithStart_WritesVendorCsvTimedByFrameId()
    {
        var expected = Fixtures.Expected("noisy-6plugs");

        var result = await FleetProcess.RunAsync(["decode", expected.CapturePath, "--start", "2026-11-25T10:00:00Z"]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.OutputLines;
        Assert.Equal("#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,#current2,#activepow2,#current3,#activepow3,#current4,#activepow4,#current5,#activepow5,#current6,#activepow6", lines[0]);
        Assert.Equal(expected.Rows.Count, lines.Length - 1);
        var start = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.StartsWith($"{start}.000000000,true,", lines[1], StringComparison.Ordinal);
        for (var k = 0; k < expected.Rows.Count; k++)
        {
            // 10 ms per frame-id step from the first frame, wrap included, so gaps keep their real time.
            var steps = (expected.Rows[k].FrameId - expected.Rows[0].FrameId) & 0xFFFF;
            var fields = lines[k + 1].Split(',');
            var nanoseconds = (start * 1_000_000_000L) + (steps * 10_000_000L);
            Assert.Equal($"{nanoseconds / 1_000_000_000L}.{nanoseconds % 1_000_000_000L:D9}", fields[0]);
            Assert.Equal(expected.Rows[k].IsOk ? "true" : "false", fields[1]);
            if (expected.Rows[k].IsOk)
            {
                // Vendor column order: U1..U3 then current/power pairs per plug.
                Assert.Equal(expected.Rows[k].Values[3 + 6 + 2], double.Parse(fields[5 + (2 * 2) + 1], CultureInfo.InvariantCulture), 1e-3);
            }
        }
    }

    [Fact]
    public async Task Default_WithoutStart_UsesTheFileModificationTime()
    {
        var copy = Path.Combine(_directory, "capture.bin");
        File.Copy(Fixtures.Capture("clean-6plugs"), copy);
        var modified = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, modified);

        var result = await FleetProcess.RunAsync(["decode", copy]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"{new DateTimeOffset(modified).ToUnixTimeSeconds()}.000000000,true,", result.OutputLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdin_Dash_DecodesStandardInputToOutputFile()
    {
        var expected = Fixtures.Expected("clean-36plugs");
        var output = Path.Combine(_directory, "out.csv");

        var result = await FleetProcess.RunAsync(["decode", "-", "--raw", "--out", output], File.ReadAllBytes(expected.CapturePath));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StandardOutputBytes);
        var lines = File.ReadAllLines(output);
        Assert.Equal(expected.Rows.Count + 1, lines.Length);
        expected.Rows[^1].AssertMatches(ExpectedRow.Parse(lines[^1]));
    }

    [Fact]
    public async Task MissingFile_OneLineErrorAndExit1()
    {
        var result = await FleetProcess.RunAsync(["decode", Path.Combine(_directory, "nope.bin")]);

        result.AssertCleanError(1, "no such file");
    }

    [Fact]
    public async Task Directory_OneLineErrorAndExit1()
    {
        var result = await FleetProcess.RunAsync(["decode", _directory]);

        result.AssertCleanError(1, "is a directory");
    }

    [Fact]
    public async Task NotACapture_SaysNoFrameFoundInNBytesAndWritesNoOutput()
    {
        var text = Path.Combine(_directory, "notes.txt");
        await File.WriteAllTextAsync(text, string.Concat(Enumerable.Repeat("these are not the frames you are looking for\n", 100)));
        var output = Path.Combine(_directory, "out.csv");

        var result = await FleetProcess.RunAsync(["decode", text, "-o", output]);

        result.AssertCleanError(1, $"no OmegaWatt frame found in {new FileInfo(text).Length} bytes");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task EmptyInput_SaysNoFrameFoundInZeroBytes()
    {
        var result = await FleetProcess.RunAsync(["decode", "-"], []);

        result.AssertCleanError(1, "no OmegaWatt frame found in 0 bytes");
    }

    [Theory]
    [InlineData("noon")]
    [InlineData("2026-13-45T10:00:00Z")]
    public async Task BadStart_OneLineErrorAndExit1(string start)
    {
        var result = await FleetProcess.RunAsync(["decode", Fixtures.Capture("clean-6plugs"), "--start", start]);

        result.AssertCleanError(1, "is not a time");
        Assert.Empty(result.StandardOutputBytes);
    }

    [Fact]
    public async Task MissingArgument_UsageErrorAndExit2()
    {
        var result = await FleetProcess.RunAsync(["decode"]);

        result.AssertCleanError(2, "fleet decode:");
        Assert.Contains("--help", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task AssertRawDecodeMatchesAsync(ExpectedCapture expected)
    {
        var result = await FleetProcess.RunAsync(["decode", "--raw", expected.CapturePath]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.OutputLines;
        Assert.Equal(File.ReadLines(expected.Prefix + ".expected.csv").First(), lines[0]);
        Assert.Equal(expected.Rows.Count, lines.Length - 1);
        for (var k = 0; k < expected.Rows.Count; k++)
        {
            expected.Rows[k].AssertMatches(ExpectedRow.Parse(lines[k + 1]));
        }

        var summaryLine = result.StandardError.Trim().Split('\n')[^1];
        using var summary = JsonDocument.Parse(summaryLine);
        var root = summary.RootElement;
        Assert.Equal(expected.FramesValid, root.GetProperty("frames_valid").GetInt64());
        Assert.Equal(expected.FramesInvalid, root.GetProperty("frames_invalid").GetInt64());
        Assert.Equal(expected.FramesBadCrc, root.GetProperty("frames_bad_crc").GetInt64());
        Assert.Equal(expected.FramesMissingById, root.GetProperty("frames_missing_by_id").GetInt64());
        Assert.Equal(expected.Plugs, root.GetProperty("plugs").GetInt32());
    }
}
