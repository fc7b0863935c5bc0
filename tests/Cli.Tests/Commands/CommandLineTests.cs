using Fleet.Cli.Tests.Support;
using Fleet.Tests.Common;

namespace Fleet.Cli.Tests.Commands;

/// <summary>How `fleet` reads a command line, as a process: typos answered with a suggestion, unknown options named as options, help that says `fleet`.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("unknown command 'stauts' (did you mean 'status'?)", "stauts")]
    [InlineData("unknown command 'lsit' (did you mean 'list'?)", "exp", "lsit")]
    [InlineData("unknown command 'mchines' (did you mean 'machines'?)", "mchines", "list")]
    [InlineData("unknown option '--machin' (did you mean --machine?)", "energy", "--machin", "srv-1", "--from", "-1h")]
    [InlineData("unknown option '--jsno' (did you mean --json?)", "report", "--jsno", "exp-1")]
    [InlineData("unknown option '--output' (did you mean --out?)", "export", "--box", "box-a", "--from", "-1h", "--output", "x.csv")]
    public async Task Typo_UsageErrorWithASuggestion(string expected, params string[] arguments)
    {
        var result = await FleetProcess.RunAsync(arguments);

        result.AssertCleanError(2, expected);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("Try ", StringComparison.Ordinal));
        // Reported as what it is: never as a bad experiment id, nor its value as a second problem.
        Assert.DoesNotContain("experiment id", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OptionOfTheCommandBeforeTheDoubleDash_SaysWhereItGoes()
    {
        var result = await FleetProcess.RunAsync(["run", "--machine", "srv-1", "python", "--epochs", "3"]);

        result.AssertCleanError(2, "unknown option '--epochs' (arguments that start with '-' go after '--')");
    }

    [Fact]
    public async Task Bare_ListsEveryCommandAndExitsZero()
    {
        var result = await FleetProcess.RunAsync([]);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "demo", "up", "down", "status", "watch", "machines", "run", "exp", "report", "energy", "plot", "export", "import", "decode" })
        {
            Assert.Contains($"\n  {command} ", result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("fleet [command] [options]", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_UsageLinesSayFleetNotTheAssembly()
    {
        var result = await FleetProcess.RunAsync(["exp", "start", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("fleet exp start [options]", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Fleet.Cli", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("export", "--box", "box-a", "--from", "-1h", "--json")]
    [InlineData("decode", "capture.bin", "--json")]
    public async Task Json_OnACommandWithoutJsonOutput_RefusedNotIgnored(params string[] arguments)
    {
        var result = await FleetProcess.RunAsync(arguments);

        result.AssertCleanError(2, $"--json does not apply to 'fleet {arguments[0]}'");
    }

    [Fact]
    public async Task Import_BinaryFile_SaysWhatItIsWithoutPrintingItsBytes()
    {
        var result = await FleetProcess.RunAsync(["import", Path.Combine(Fixtures.RepositoryDirectory, "samples", "box-6plugs.bin"), "--box", "box-a"]);

        result.AssertCleanError(1, "a raw capture of a box's serial port");
        Assert.Contains("fleet decode", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(result.StandardError, c => char.IsControl(c) && c != '\n');
    }

    [Fact]
    public async Task Import_TextWithControlCharacters_ErrorLineEscapesThem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-escape-{Guid.NewGuid():N}.csv");
        // Text (a few escape sequences in many lines), so it is read as a log and its header quoted.
        await File.WriteAllTextAsync(path, "#timestamp,\u001b[31mred\u001b[0m\n" + string.Concat(Enumerable.Repeat("1795600800.000000000,true,230.1,0,0\n", 20)));
        try
        {
            var result = await FleetProcess.RunAsync(["import", path, "--box", "box-a"]);

            result.AssertCleanError(1, "not a wattmeter CSV header");
            Assert.Contains("\\x1b[31m", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', result.StandardError);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
