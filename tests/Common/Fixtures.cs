using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Fleet.Tests.Common;

/// <summary>
/// The independent captures in tests/fixtures/omegawatt and the generator that made them
/// (tools/omegawatt-gen.py): copies kept in the repository, so a clone alone runs every test.
/// Decoder tests compare against these, never only against our own encoder.
/// </summary>
public static class Fixtures
{
    public static readonly string[] Names = ["clean-6plugs", "noisy-6plugs", "clean-36plugs"];

    /// <summary>The repository's root (the directory holding Fleet.sln), found from the test binaries.</summary>
    public static string RepositoryDirectory { get; } = FindRepository();

    public static string OmegaWattDirectory => Path.Combine(RepositoryDirectory, "tests", "fixtures", "omegawatt");

    public static string Generator => Path.Combine(RepositoryDirectory, "tools", "omegawatt-gen.py");

    public static string Capture(string name) => Path.Combine(OmegaWattDirectory, name + ".bin");

    public static ExpectedCapture Expected(string name) =>
        ExpectedCapture.Load(Path.Combine(OmegaWattDirectory, name));

    /// <summary>Runs tools/omegawatt-gen.py into <paramref name="directory"/> and returns the prefix.</summary>
    public static string Generate(string directory, string name, params string[] arguments)
    {
        var prefix = Path.Combine(directory, name);
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Generator);
        start.ArgumentList.Add(prefix);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"omegawatt-gen.py failed: {errors}");
        }

        return prefix;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fleet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Fleet.sln not found above {AppContext.BaseDirectory}: run the tests from the repository");
    }
}

/// <summary>A capture's expected.csv rows and expected.json counts.</summary>
public sealed record ExpectedCapture(
    string Prefix,
    IReadOnlyList<ExpectedRow> Rows,
    long FramesValid,
    long FramesInvalid,
    long FramesBadCrc,
    long FramesMissingById,
    int Plugs,
    IReadOnlyList<double> EnergyJoules)
{
    public string CapturePath => Prefix + ".bin";

    public static ExpectedCapture Load(string prefix)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".expected.json"));
        var root = json.RootElement;
        var plugs = root.GetProperty("plugs").GetInt32();
        var energy = Enumerable.Range(1, plugs)
            .Select(k => root.GetProperty("energy_joules_valid_frames").GetProperty(k.ToString(CultureInfo.InvariantCulture)).GetDouble())
            .ToArray();
        var rows = File.ReadLines(prefix + ".expected.csv").Skip(1).Where(line => line.Length > 0).Select(ExpectedRow.Parse).ToArray();
        return new ExpectedCapture(
            prefix,
            rows,
            root.GetProperty("frames_valid").GetInt64(),
            root.GetProperty("frames_invalid").GetInt64(),
            root.GetProperty("frames_bad_crc").GetInt64(),
            root.GetProperty("frames_missing_by_id").GetInt64(),
            plugs,
            energy);
    }
}

/// <summary>One row of expected.csv (or of our --raw output): frame id, ok flag, U1..U3, I1..In, P1..Pn.</summary>
public sealed record ExpectedRow(int FrameId, bool IsOk, IReadOnlyList<double> Values)
{
    public static ExpectedRow Parse(string line)
    {
        var fields = line.Split(',');
        var ok = fields[1] switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"bad ok flag in '{line}'"),
        };
        var values = ok
            ? fields.Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : fields.Skip(2).Select(v => v.Length == 0 ? double.NaN : throw new FormatException($"invalid row with a value: '{line}'")).ToArray();
        return new ExpectedRow(int.Parse(fields[0], CultureInfo.InvariantCulture), ok, values);
    }

    /// <summary>
    /// Asserts <paramref name="actual"/> reads the same frame: values within 1e-4 relative, or
    /// within the ±0.5e-6 the fixture's 6-decimal rounding allows for tiny values.
    /// </summary>
    public void AssertMatches(ExpectedRow actual)
    {
        Assert.Equal(FrameId, actual.FrameId);
        Assert.Equal(IsOk, actual.IsOk);
        Assert.Equal(Values.Count, actual.Values.Count);
        for (var k = 0; k < Values.Count; k++)
        {
            var expected = Values[k];
            var value = actual.Values[k];
            if (double.IsNaN(expected))
            {
                Assert.True(double.IsNaN(value), $"frame {FrameId} column {k + 3}: expected empty, got {value}");
                continue;
            }

            var tolerance = Math.Max(1e-4 * Math.Abs(expected), 5.01e-7);
            Assert.True(Math.Abs(value - expected) <= tolerance, $"frame {FrameId} column {k + 3}: expected {expected}, got {value}");
        }
    }
}
