using System.Diagnostics;

namespace Fleet.Cli.Tests.Support;

/// <summary>Runs the built `fleet` command as a user would, and captures what it printed.</summary>
internal static class FleetProcess
{
    /// <summary>
    /// Runs fleet against <paramref name="silo"/> with a config directory of its own (<paramref name="home"/>):
    /// <c>--url</c> goes before <c>--</c>, since what follows it is the command of `fleet run` or `fleet submit`.
    /// </summary>
    public static Task<FleetResult> AgainstAsync(Uri silo, string home, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(arguments);
        var split = Array.IndexOf(arguments, "--");
        string[] url = ["--url", silo.ToString()];
        return RunAsync(
            split < 0 ? [.. arguments, .. url] : [.. arguments[..split], .. url, .. arguments[split..]],
            environment: new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = home });
    }

    public static async Task<FleetResult> RunAsync(IEnumerable<string> arguments, byte[]? standardInput = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The developer's own silo, token and config file must not leak into a test.
        start.Environment.Remove("FLEET_URL");
        start.Environment.Remove("FLEET_TOKEN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fleet.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new MemoryStream();
        var copyingOutput = process.StandardOutput.BaseStream.CopyToAsync(output);
        var readingErrors = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await copyingOutput;
        return new FleetResult(process.ExitCode, output.ToArray(), await readingErrors);
    }
}

internal sealed record FleetResult(int ExitCode, byte[] StandardOutputBytes, string StandardError)
{
    public string StandardOutput => System.Text.Encoding.UTF8.GetString(StandardOutputBytes);

    public string[] OutputLines => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The user sees one clear line (plus a hint), never a .NET stack trace.</summary>
    public void AssertCleanError(int exitCode, string expectedText)
    {
        Assert.Equal(exitCode, ExitCode);
        Assert.Contains(expectedText, StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", StandardError, StringComparison.Ordinal);
    }
}
